/* libcurl, loaded on first use. The binary does not link libcurl: loading it and its ~30 libraries (gnutls, krb5,
 * ldap, nghttp2, ...) cost every process ~7 ms at startup, and the offline commands (validate, report without
 * --live, --help, --version) never make a request. The first transport dlopen()s libcurl.so.4 and resolves the
 * functions below; aws_http.c calls libcurl only through this table.
 *
 * Ownership and threading: the table is a process-wide static, filled once (pthread_once, whichever thread asks
 * first; curl_global_init() runs in the same once, so it is never raced), read-only afterwards, and never unloaded —
 * libcurl keeps global state until exit. Callers borrow the pointer for the life of the process.
 *
 * curl.h still supplies the types and constants (its headers are a build dependency). Call through the members,
 * never through curl_easy_setopt() and friends: with GCC those names are type-checking macros over the linked
 * functions, which this binary no longer has. */
#ifndef IL_AWS_CURL_LIB_H
#define IL_AWS_CURL_LIB_H

#include <curl/curl.h>

#include "il/buf.h"
#include "il/status.h"

/** The soname dlopen() asks for: what Debian's libcurl4 package installs. */
#define IL_CURL_SONAME "libcurl.so.4"

/** The libcurl functions aws_http.c uses, with curl's own prototypes (the variadic ones variadic). */
struct il_curl_lib {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    void (*easy_reset)(CURL *curl);
    void (*easy_cleanup)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *curl);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *curl);
    CURLMcode (*multi_perform)(CURLM *multi, int *running_handles);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms,
                            int *ret);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *msgs_in_queue);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *data);
    void (*slist_free_all)(struct curl_slist *list);
};

/**
 * The loaded, globally initialised libcurl in @p out (borrowed, valid until exit). The first call loads it; later
 * calls return the same table or the same failure. IL_ERR_NETWORK when libcurl.so.4 cannot be loaded, lacks one of
 * the functions, or curl_global_init() fails: then @p out is NULL and @p why (optional) gets the reason, e.g.
 * "cannot load libcurl (libcurl.so.4): <dlerror text>; install the Debian package libcurl4".
 */
IL_MUST_CHECK enum il_status il_curl_lib_get(const struct il_curl_lib **out, struct il_buf *why);

#endif
