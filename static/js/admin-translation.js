/*
 * The page editor for translators: every Arabic input (plain fields, rich text and
 * StreamField blocks) is right-to-left, every English one left-to-right, and each
 * translated field's panel is marked with its language.
 */
(function () {
  "use strict";

  var LANGUAGES = { ar: "rtl", en: "ltr" };
  // title_ar, body_ar-0-value-text, lead_ar … → the language code after the field name.
  var NAME = /^[a-z0-9_]+?_(ar|en)(?:$|-)/;

  function languageOf(element) {
    var name = element.getAttribute("name") || element.getAttribute("data-field-name") || "";
    var match = NAME.exec(name);
    return match ? match[1] : null;
  }

  function mark(element, language) {
    element.setAttribute("dir", LANGUAGES[language]);
    element.setAttribute("lang", language);
  }

  function apply(root) {
    root.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (input) {
      var language = languageOf(input);
      if (!language) return;
      if (input.type === "hidden") {
        // Draftail rich text keeps its value in a hidden input beside the editor.
        var wrapper = input.closest("[data-field-input], .w-field__input, .Draftail-Editor__wrapper");
        var editor = wrapper && wrapper.querySelector(".Draftail-Editor");
        if (editor) mark(editor, language);
      } else if (input.type !== "checkbox" && input.type !== "radio") {
        mark(input, language);
      }
    });
    root.querySelectorAll("[data-contentpath]").forEach(function (panel) {
      var match = /_(ar|en)$/.exec(panel.getAttribute("data-contentpath") || "");
      if (match) panel.setAttribute("data-language", match[1]);
    });
  }

  // The outermost ancestors of a and b that are siblings (the two fields' panels).
  function siblingPanels(a, b) {
    var x = a;
    while (x.parentElement && !x.parentElement.contains(b)) x = x.parentElement;
    var y = b;
    while (y.parentElement && y.parentElement !== x.parentElement) y = y.parentElement;
    return y.parentElement === x.parentElement ? [x, y] : null;
  }

  // The page's original language comes first, its translation after it.
  function originalFirst() {
    var source = document.querySelector('select[name="source_language"]');
    if (!source || source.value !== "ar") return;
    document.querySelectorAll('[data-contentpath$="_ar"]').forEach(function (arabic) {
      var base = arabic.getAttribute("data-contentpath").slice(0, -3);
      var english = document.querySelector('[data-contentpath="' + base + '_en"]');
      var panels = english && siblingPanels(arabic, english);
      if (panels && panels[1].compareDocumentPosition(panels[0]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        panels[0].parentElement.insertBefore(panels[0], panels[1]);
      }
    });
  }

  function start() {
    apply(document);
    originalFirst();
    // StreamField blocks and inline panels added later get the same treatment.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) apply(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
