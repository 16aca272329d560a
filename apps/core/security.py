"""Defences against password guessing, and the security headers django-csp cannot
work out on its own.

Password guessing is django-axes' job: it counts failed sign-ins per account and
address and refuses an account from an address after ``AXES_FAILURE_LIMIT``
failures until ``AXES_COOLOFF_TIME`` has passed. The admin and public sign-in
forms go through ``django.contrib.auth.authenticate``, which axes watches; the
passwords of Wagtail's private pages and document collections do not, so
``authenticate_with_password`` and ``authenticate_document_with_password`` wrap
Wagtail's views and report to axes themselves, naming the restriction as the
"account" (``page-restriction:<id>``, ``document-restriction:<id>``): the same
limits, storage and ``axes_reset*`` commands apply.

The Content-Security-Policy middleware gives the Wagtail admin a policy of its own
(``ADMIN_CONTENT_SECURITY_POLICY`` and ``ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY``)
and makes ``frame-ancestors`` say what ``X-Frame-Options`` says on the same response.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http.response import HttpResponseRedirectBase
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language

from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtaildocs_serve

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_credentials
from axes.utils import reset as axes_reset
from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

PAGE_RESTRICTION = "page-restriction:"
DOCUMENT_RESTRICTION = "document-restriction:"

# --- password guessing ---------------------------------------------------------


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lock-out page, in both languages, the reader's first.

    It says how long the wait is and whom to ask; its context needs no database."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    subject = get_client_username(request, credentials) or ""
    first = "ar" if (get_language() or "").startswith("ar") else "en"
    response = TemplateResponse(
        request,
        "lockout.html",
        {
            "languages": [first, "en" if first == "ar" else "ar"],
            "minutes": minutes,
            "protected_content": subject.startswith((PAGE_RESTRICTION, DOCUMENT_RESTRICTION)),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response.render()


def _check_password(request, subject, view, *args):
    """Run Wagtail's password view ``view`` under axes' watch.

    A POST is refused without looking at the password while ``subject`` (the
    restriction) is locked for this address; a POST that Wagtail does not answer
    with a redirect is a wrong password and is reported to axes as a failed sign-in,
    which records it and, at the limit, has AxesMiddleware answer with the lock-out
    page. A right password clears the count (AXES_RESET_ON_SUCCESS)."""
    if request.method != "POST":
        return view(request, *args)
    credentials = get_credentials(subject)
    if not AxesProxyHandler.is_allowed(request, credentials):
        # As authenticate() does for a locked account: the attempt is recorded
        # (which restarts the cool-off) and refused.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return lockout_response(request, None, credentials)
    response = view(request, *args)
    if isinstance(response, HttpResponseRedirectBase):
        if settings.AXES_RESET_ON_SUCCESS:
            axes_reset(ip=request.axes_ip_address, username=subject)
    else:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return response


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's form for a password-protected page, with guessing stopped."""
    return _check_password(
        request,
        f"{PAGE_RESTRICTION}{page_view_restriction_id}",
        wagtail_views.authenticate_with_password,
        page_view_restriction_id,
        page_id,
    )


def authenticate_document_with_password(request, restriction_id):
    """Wagtail's form for a password-protected document collection, likewise."""
    return _check_password(
        request,
        f"{DOCUMENT_RESTRICTION}{restriction_id}",
        wagtaildocs_serve.authenticate_with_password,
        restriction_id,
    )


# --- Content-Security-Policy -----------------------------------------------------

# What CSP's frame-ancestors says for each X-Frame-Options value.
FRAME_ANCESTORS = {"DENY": ["'none'"], "SAMEORIGIN": ["'self'"]}


def is_admin_path(path):
    return path.startswith(settings.ADMIN_CSP_URL_PREFIXES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two additions.

    * Requests under ``ADMIN_CSP_URL_PREFIXES`` (the Wagtail admin) get
      ``ADMIN_CONTENT_SECURITY_POLICY`` and ``ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY``
      instead of the site's policy.
    * ``frame-ancestors`` follows the response's ``X-Frame-Options``: ``'none'`` with
      DENY, ``'self'`` with SAMEORIGIN (Wagtail's preview views ask for SAMEORIGIN
      themselves), absent when a view is exempt from X-Frame-Options. This
      middleware must therefore come *before* XFrameOptionsMiddleware in MIDDLEWARE,
      so that it sees the header that middleware adds. A policy that was already on
      the response gets the same treatment.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and is_admin_path(request.path_info):
            name = (
                "ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY"
                if report_only
                else "ADMIN_CONTENT_SECURITY_POLICY"
            )
            directives = getattr(settings, name, {}).get("DIRECTIVES")
            # An empty config means "no policy": build_policy returns "".
            parts.config = default_config(directives) if directives else {}
        if not report_only:
            parts = self._with_frame_ancestors(response, parts)
        return parts

    @staticmethod
    def _frame_ancestors(response):
        """The frame-ancestors sources that agree with the response's X-Frame-Options,
        None when framing is not restricted, or ... when X-Frame-Options has a value
        CSP cannot express (then the configured directive is kept)."""
        xfo = response.get("X-Frame-Options")
        if xfo is None:
            return None
        return FRAME_ANCESTORS.get(xfo.strip().upper(), ...)

    def _with_frame_ancestors(self, response, parts):
        sources = self._frame_ancestors(response)
        if sources is ...:
            return parts
        replace = dict(parts.replace or {})
        replace["frame-ancestors"] = sources
        return PolicyParts(parts.config, parts.update, replace, parts.nonce)

    def process_response(self, request, response):
        # A policy already on the response was written by the view itself (Wagtail's
        # document serving) or by the inner request of Wagtail's preview, which runs
        # the page through the whole middleware chain as a public page before the
        # preview view sets SAMEORIGIN: its frame-ancestors is brought into line here.
        own_policy = CSP_HEADER in response
        response = super().process_response(request, response)
        if own_policy:
            sources = self._frame_ancestors(response)
            if sources is not ...:
                response[CSP_HEADER] = with_frame_ancestors(response[CSP_HEADER], sources)
        return response


def with_frame_ancestors(policy, sources):
    """``policy`` (a header value) with its frame-ancestors directive replaced by
    ``sources``, or removed when ``sources`` is None."""
    directives = [
        directive.strip()
        for directive in policy.split(";")
        if directive.strip() and directive.split()[0].lower() != "frame-ancestors"
    ]
    if sources:
        directives.append(f"frame-ancestors {' '.join(sources)}")
    return "; ".join(directives)
