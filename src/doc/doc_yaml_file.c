/*
 * Reading a YAML file for the loader: the size bound is checked with fstat before a byte is read, and a regular file
 * is read into one allocation of its exact size, so peak memory is the file plus the tree (no doubling buffer).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "il/buf.h"
#include "il/doc/yaml.h"
#include "il/mem.h"

/* Regular files in one exact allocation; pipes and standard input through the bounded stream reader. */
static enum il_status s_read(const char *path, size_t limit, char **out, size_t *out_len, size_t *too_big, int *err) {
    *out = NULL;
    *out_len = 0;
    *too_big = 0;
    *err = 0;
    if (strcmp(path, "-") == 0) {
        return il_read_file_err(path, limit, out, out_len, err);
    }
    /* O_NONBLOCK: a FIFO with no writer must not block the open; il_read_file_err reads it with a timeout */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *err = errno;
        return errno == ENOENT ? IL_ERR_NOTFOUND : IL_ERR_IO;
    }
    enum il_status st = IL_OK;
    char *buf = NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        *err = errno;
        st = IL_ERR_IO;
        goto cleanup;
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        if (S_ISDIR(sb.st_mode)) {
            *err = EISDIR;
            return IL_ERR_IO;
        }
        return il_read_file_err(path, limit, out, out_len, err);
    }
    if ((uintmax_t)sb.st_size > (uintmax_t)limit) {
        *too_big = (size_t)sb.st_size;
        st = IL_ERR_LIMIT;
        goto cleanup;
    }
    size_t size = (size_t)sb.st_size;
    buf = il_mem_alloc_large(size + 1); /* the file plus a NUL; populated, on huge pages when large */
    if (buf == NULL) {
        st = IL_ERR_NOMEM;
        goto cleanup;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue; /* EAGAIN: O_NONBLOCK is kept on a regular file, where it never applies in practice */
        }
        if (n < 0) {
            *err = errno;
            st = IL_ERR_IO;
            goto cleanup;
        }
        if (n == 0) {
            break; /* the file shrank since fstat: take what is there */
        }
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    *out_len = got;
    buf = NULL;

cleanup:
    free(buf);
    close(fd);
    return st;
}

/* The "yaml" diagnostic of a file that could not be read; returns @p st (or the failure to record it). */
static enum il_status s_read_error(struct il_diags *diags, enum il_status st, int err, const char *name, size_t too_big,
                                   size_t max_bytes) {
    if (diags == NULL) {
        return st;
    }
    enum il_status dst;
    if (st == IL_ERR_LIMIT && too_big > 0) {
        dst = il_diags_addf(diags, IL_SEV_ERROR, "yaml", name, 0, 0, NULL,
                            "file is %zu bytes, over the %zu-byte size limit; split the file", too_big, max_bytes);
    } else if (st == IL_ERR_LIMIT) {
        dst = il_diags_addf(diags, IL_SEV_ERROR, "yaml", name, 0, 0, NULL,
                            "input is over the %zu-byte size limit; split the file", max_bytes);
    } else if (st == IL_ERR_NOTFOUND) {
        dst = il_diags_addf(diags, IL_SEV_ERROR, "yaml", name, 0, 0, NULL,
                            "cannot read `%s`: no such file; check the path", name);
    } else {
        struct il_buf why;
        il_buf_init(&why, 0);
        dst = il_read_error_say(&why, st, err, strcmp(name, "<stdin>") == 0);
        if (dst == IL_OK) {
            dst = il_diags_addf(diags, IL_SEV_ERROR, "yaml", name, 0, 0, NULL,
                                "cannot read `%s`: %s; check that it is a readable file", name, il_buf_cstr(&why));
        }
        il_buf_release(&why);
    }
    return dst != IL_OK ? dst : st;
}

enum il_status il_yaml_load_file(const char *path, const struct il_load_limits *limits, struct il_doc **out,
                                 struct il_diags *diags) {
    struct il_load_limits lim;
    if (limits != NULL) {
        lim = *limits;
    } else {
        il_load_limits_default(&lim);
    }
    *out = NULL;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *data = NULL;
    size_t len = 0, too_big = 0;
    int err = 0;
    enum il_status st = s_read(path, lim.max_bytes, &data, &len, &too_big, &err);
    if (st != IL_OK) {
        return s_read_error(diags, st, err, name, too_big, lim.max_bytes);
    }
    st = il_yaml_load(data, len, name, &lim, out, diags);
    free(data);
    return st;
}
