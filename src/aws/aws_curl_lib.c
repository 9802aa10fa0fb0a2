/* Loads libcurl with dlopen() the first time a transport is made (see aws_curl_lib.h for why). */
#include "aws/aws_curl_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

/* dlsym() hands back an object pointer; POSIX guarantees it converts to a function pointer, ISO C does not, so the
 * bytes are copied (memcpy) instead of cast — which needs the two to be the same size. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers must be object-pointer sized");

static const struct {
    const char *name;
    size_t offset;
} s_symbols[] = {
    {"curl_global_init", offsetof(struct il_curl_lib, global_init)},
    {"curl_easy_init", offsetof(struct il_curl_lib, easy_init)},
    {"curl_easy_setopt", offsetof(struct il_curl_lib, easy_setopt)},
    {"curl_easy_getinfo", offsetof(struct il_curl_lib, easy_getinfo)},
    {"curl_easy_reset", offsetof(struct il_curl_lib, easy_reset)},
    {"curl_easy_cleanup", offsetof(struct il_curl_lib, easy_cleanup)},
    {"curl_easy_strerror", offsetof(struct il_curl_lib, easy_strerror)},
    {"curl_multi_init", offsetof(struct il_curl_lib, multi_init)},
    {"curl_multi_setopt", offsetof(struct il_curl_lib, multi_setopt)},
    {"curl_multi_add_handle", offsetof(struct il_curl_lib, multi_add_handle)},
    {"curl_multi_remove_handle", offsetof(struct il_curl_lib, multi_remove_handle)},
    {"curl_multi_perform", offsetof(struct il_curl_lib, multi_perform)},
    {"curl_multi_poll", offsetof(struct il_curl_lib, multi_poll)},
    {"curl_multi_info_read", offsetof(struct il_curl_lib, multi_info_read)},
    {"curl_multi_cleanup", offsetof(struct il_curl_lib, multi_cleanup)},
    {"curl_slist_append", offsetof(struct il_curl_lib, slist_append)},
    {"curl_slist_free_all", offsetof(struct il_curl_lib, slist_free_all)},
};
_Static_assert(sizeof(s_symbols) / sizeof(s_symbols[0]) == sizeof(struct il_curl_lib) / sizeof(void *),
               "every member of struct il_curl_lib is resolved");

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static struct il_curl_lib s_lib;
static int s_loaded;
static int s_init_failed; /* loaded, but curl_global_init() failed */
static char s_error[256];

/* Copies the loader's message (dlerror() text names the file and the missing symbol, nothing secret). */
static void s_fail(const char *what) {
    size_t n = strnlen(what ? what : "unknown error", sizeof(s_error) - 1);
    memcpy(s_error, what ? what : "unknown error", n);
    s_error[n] = '\0';
}

static void s_load(void) {
    void *handle = dlopen(IL_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        s_fail(dlerror());
        return;
    }
    struct il_curl_lib lib;
    for (size_t i = 0; i < sizeof(s_symbols) / sizeof(s_symbols[0]); i++) {
        (void)dlerror();
        void *sym = dlsym(handle, s_symbols[i].name);
        if (sym == NULL) {
            const char *err = dlerror();
            s_fail(err ? err : s_symbols[i].name);
            (void)dlclose(handle);
            return;
        }
        memcpy((unsigned char *)&lib + s_symbols[i].offset, &sym, sizeof(sym));
    }
    /* Loaded for good: libcurl's global state lives until exit, so the handle is never closed. */
    CURLcode code = lib.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        s_fail(lib.easy_strerror(code));
        s_init_failed = 1;
        return;
    }
    s_lib = lib;
    s_loaded = 1;
}

enum il_status il_curl_lib_get(const struct il_curl_lib **out, struct il_buf *why) {
    *out = NULL;
    if (pthread_once(&s_once, s_load) != 0) {
        return IL_ERR_INTERNAL; /* only for an invalid once control, which this is not */
    }
    if (!s_loaded) {
        if (why && s_init_failed) {
            il_buf_say(why, "could not initialise libcurl (curl_global_init: %s)", s_error);
        } else if (why) {
            il_buf_say(why, "cannot load libcurl (%s): %s; install the Debian package libcurl4", IL_CURL_SONAME,
                       s_error);
        }
        return IL_ERR_NETWORK;
    }
    *out = &s_lib;
    return IL_OK;
}
