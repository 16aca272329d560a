/*
 * Direction in the admin, in either admin language.
 *
 * - Every input of a translated column (plain fields, rich text, StreamField blocks,
 *   inline rows such as the News Tracker: title_ar, body_ar-0-value-text,
 *   related_stories-0-title_ar …) gets the lang and dir of its column's language;
 *   addresses are left to right; each translated field's panel is marked with its
 *   language.
 * - Titles whose language is not known (headers, breadcrumbs, listings, choosers)
 *   take the direction of their own text (dir="auto"), so an English title is not cut
 *   at its start in the Arabic admin, nor an Arabic one in the English admin.
 * - wagtail-modeltranslation's "Copy content from" label and buttons are shown in the
 *   admin's language (the translations come with this script's data attributes).
 * - In the page editor, the page's original language comes first.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var DIRECTIONS = { ar: "rtl", en: "ltr" };
  // The language code after a column's name, at the start or after a formset prefix.
  var NAME = /(?:^|-)[a-z0-9_]+?_(ar|en)(?:$|-)/;
  var ADDRESS = /(?:^|-)(url|link|href)$/;
  var UNKNOWN_LANGUAGE = [
    "#header-title",
    ".w-header__title",
    "[data-controller~='w-breadcrumbs'] li",
    "h1",
    ".title-wrapper a",
    ".title-wrapper",
    ".chooser__title",
    "[data-chooser-title]",
    ".w-status-tag",
    ".listing td.title",
  ].join(",");

  function languageOf(element) {
    var name = element.getAttribute("name") || element.getAttribute("data-field-name") || "";
    var match = NAME.exec(name);
    return match ? match[1] : null;
  }

  function mark(element, language) {
    element.setAttribute("dir", DIRECTIONS[language]);
    element.setAttribute("lang", language);
  }

  // The elements of root, root itself included, that match selector.
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function apply(root) {
    within(root, "input[name], textarea[name], select[name]").forEach(function (input) {
      var name = input.getAttribute("name") || "";
      if (input.type === "url" || ADDRESS.test(name)) {
        input.setAttribute("dir", "ltr");
        return;
      }
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
    within(root, "[data-contentpath]").forEach(function (panel) {
      var match = /_(ar|en)$/.exec(panel.getAttribute("data-contentpath") || "");
      if (match) panel.setAttribute("data-language", match[1]);
    });
    within(root, UNKNOWN_LANGUAGE).forEach(function (element) {
      if (!element.hasAttribute("dir")) element.setAttribute("dir", "auto");
    });
    translateCopyButtons(root);
  }

  // wagtail-modeltranslation writes "Copy content from:" and language codes in English.
  function translateCopyButtons(root) {
    if (!SCRIPT) return;
    var label = SCRIPT.getAttribute("data-copy-label");
    var names = JSON.parse(SCRIPT.getAttribute("data-language-names") || "{}");
    var wrappers = within(root, ".translation-field-copy-wrapper");
    if (root.closest && root.closest(".translation-field-copy-wrapper")) {
      wrappers.push(root.closest(".translation-field-copy-wrapper"));
    }
    wrappers.forEach(function (wrapper) {
      var text = wrapper.firstChild;
      if (label && text && text.nodeType === Node.TEXT_NODE) text.nodeValue = label + " ";
      wrapper.querySelectorAll("button.translation-field-copy").forEach(function (button) {
        var code = button.textContent.trim();
        if (names[code]) {
          button.textContent = names[code];
          button.setAttribute("lang", code);
        }
      });
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
    // StreamField blocks, inline rows and the library's buttons added later too.
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
