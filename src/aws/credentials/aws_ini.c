/* A bounded parser for the AWS shared config/credentials INI dialect (see aws_ini.h). Parses in place over a private
 * copy of the text, so entries are pointers into it and freeing wipes one buffer. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credentials/aws_ini.h"
#include "il/crypto.h"

/* il_buf failures are sticky and checked once with il_buf_status() */
#define IL_STICKY_INI(expr)                                                                                            \
    do {                                                                                                               \
        if ((expr) != IL_OK) {                                                                                         \
        }                                                                                                              \
    } while (0)

struct il_ini_entry {
    const char *section;
    const char *key; /* NULL: a section header only; "parent.sub" for a nested sub-setting */
    const char *value;
    size_t line;
};

struct il_ini {
    char *text;
    size_t text_len;
    struct il_ini_entry *entries;
    size_t count;
    const char *nest_parent; /* the last key if its value was empty: indented lines below are its sub-settings */
    char **nested_keys;      /* "parent.sub" strings, owned */
    size_t nested_count;
};

void il_ini_free(struct il_ini *ini) {
    if (ini == NULL) {
        return;
    }
    if (ini->text != NULL) {
        il_crypto_cleanse(ini->text, ini->text_len);
        free(ini->text);
    }
    free(ini->entries);
    for (size_t i = 0; i < ini->nested_count; i++) {
        free(ini->nested_keys[i]);
    }
    free(ini->nested_keys);
    free(ini);
}

static char *s_trim(char *start, char *end) {
    while (start < end && isspace((unsigned char)*start)) {
        start++;
    }
    while (end > start && isspace((unsigned char)end[-1])) {
        end--;
    }
    *end = '\0';
    return start;
}

static enum il_status s_add(struct il_ini *ini, const char *section, const char *key, const char *value, size_t line) {
    if (ini->count >= IL_INI_MAX_ENTRIES) {
        return IL_ERR_LIMIT;
    }
    struct il_ini_entry *grown = realloc(ini->entries, (ini->count + 1) * sizeof(*grown));
    if (grown == NULL) {
        return IL_ERR_NOMEM;
    }
    ini->entries = grown;
    ini->entries[ini->count++] = (struct il_ini_entry){.section = section, .key = key, .value = value, .line = line};
    return IL_OK;
}

/* An indented line: botocore's _parse_nested turns `parent =` followed by indented `k = v` lines into a sub-table;
 * stored as key "parent.k". Indented lines under a key with a value (configparser continuations) and blank lines
 * are skipped, as before. */
static enum il_status s_nested(struct il_ini *ini, char *line, size_t lineno, const char *section) {
    char *text = s_trim(line, line + strlen(line));
    char *eq = strchr(text, '=');
    if (ini->nest_parent == NULL || section == NULL || *text == '\0' || eq == NULL) {
        return IL_OK;
    }
    char *end = eq + 1 + strlen(eq + 1);
    char *sub = s_trim(text, eq);
    char *value = s_trim(eq + 1, end);
    struct il_buf key;
    il_buf_init(&key, 512);
    IL_STICKY_INI(il_buf_printf(&key, "%s.%s", ini->nest_parent, sub));
    if (il_buf_status(&key) != IL_OK) {
        enum il_status st = il_buf_status(&key);
        il_buf_release(&key);
        return st == IL_ERR_LIMIT ? IL_OK : st; /* an absurdly long key cannot name a setting we read */
    }
    char **grown = realloc(ini->nested_keys, (ini->nested_count + 1) * sizeof(*grown));
    if (grown == NULL) {
        il_buf_release(&key);
        return IL_ERR_NOMEM;
    }
    ini->nested_keys = grown;
    char *k = il_buf_take(&key);
    il_buf_release(&key);
    if (k == NULL) {
        return IL_ERR_NOMEM;
    }
    ini->nested_keys[ini->nested_count++] = k;
    return s_add(ini, section, k, value, lineno);
}

/* One line, already NUL-terminated at its end. Never quotes the line: a malformed line may hold a secret. */
static enum il_status s_line(struct il_ini *ini, char *line, size_t lineno, const char *name, const char **section,
                             struct il_buf *why) {
    size_t len = strlen(line);
    if (len > 0 && isspace((unsigned char)line[0])) {
        return s_nested(ini, line, lineno, *section); /* `lambda =` then indented `endpoint_url = ...` */
    }
    ini->nest_parent = NULL;
    char *text = s_trim(line, line + len);
    if (*text == '\0' || *text == '#' || *text == ';') {
        return IL_OK;
    }
    if (*text == '[') {
        char *close = strchr(text, ']');
        if (close == NULL) {
            il_buf_say(why, "%s:%zu:1: section header without ']'", name, lineno);
            return IL_ERR_PARSE;
        }
        *section = s_trim(text + 1, close);
        return s_add(ini, *section, NULL, NULL, lineno);
    }
    char *eq = strchr(text, '=');
    if (eq == NULL) {
        il_buf_say(why, "%s:%zu:1: expected `key = value` or `[section]`", name, lineno);
        return IL_ERR_PARSE;
    }
    if (*section == NULL) {
        il_buf_say(why, "%s:%zu:1: setting before the first [section]", name, lineno);
        return IL_ERR_PARSE;
    }
    char *end_of_line = text + strlen(text);
    char *key = s_trim(text, eq);
    char *value = s_trim(eq + 1, end_of_line);
    if (*key == '\0') {
        il_buf_say(why, "%s:%zu:1: empty key before '='", name, lineno);
        return IL_ERR_PARSE;
    }
    for (char *k = key; *k; k++) {
        *k = (char)tolower((unsigned char)*k); /* configparser folds option names */
    }
    ini->nest_parent = *value == '\0' ? key : NULL;
    return s_add(ini, *section, key, value, lineno);
}

enum il_status il_ini_parse(const char *text, size_t len, const char *name, struct il_ini **out, struct il_buf *why) {
    *out = NULL;
    if (len > IL_INI_MAX_BYTES) {
        il_buf_say(why, "%s: larger than %zu bytes", name, IL_INI_MAX_BYTES);
        return IL_ERR_LIMIT;
    }
    enum il_status status = IL_ERR_NOMEM;
    struct il_ini *ini = calloc(1, sizeof(*ini));
    if (ini == NULL) {
        goto cleanup;
    }
    ini->text = malloc(len + 1);
    if (ini->text == NULL) {
        goto cleanup;
    }
    memcpy(ini->text, text, len);
    ini->text[len] = '\0';
    ini->text_len = len + 1;
    if (memchr(ini->text, '\0', len) != NULL) {
        il_buf_say(why, "%s: holds a NUL byte (not a text file)", name);
        status = IL_ERR_PARSE;
        goto cleanup;
    }
    const char *section = NULL;
    size_t lineno = 0;
    char *cursor = ini->text;
    while (*cursor != '\0') {
        lineno++;
        char *nl = strchr(cursor, '\n');
        char *next = nl ? nl + 1 : cursor + strlen(cursor);
        if (nl != NULL) {
            *nl = '\0';
        }
        if ((status = s_line(ini, cursor, lineno, name, &section, why)) != IL_OK) {
            if (status == IL_ERR_LIMIT) {
                il_buf_say(why, "%s: more than %u settings", name, IL_INI_MAX_ENTRIES);
            }
            goto cleanup;
        }
        cursor = next;
    }
    *out = ini;
    ini = NULL;
    status = IL_OK;
cleanup:
    il_ini_free(ini);
    return status;
}

enum il_status il_ini_load(const char *path, struct il_ini **out, struct il_buf *why) {
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    enum il_status status = il_read_file(path, IL_INI_MAX_BYTES, &text, &len);
    if (status == IL_ERR_NOTFOUND) {
        return status;
    }
    if (status != IL_OK) {
        il_buf_say(why, "%s: cannot read (%s)", path, il_status_str(status));
        return status;
    }
    status = il_ini_parse(text, len, path, out, why);
    il_crypto_cleanse(text, len);
    free(text);
    return status;
}

int il_ini_has_section(const struct il_ini *ini, const char *section) {
    for (size_t i = 0; ini != NULL && i < ini->count; i++) {
        if (strcmp(ini->entries[i].section, section) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *il_ini_get(const struct il_ini *ini, const char *section, const char *key) {
    return il_ini_get_line(ini, section, key, NULL);
}

const char *il_ini_get_line(const struct il_ini *ini, const char *section, const char *key, size_t *line) {
    const char *found = NULL;
    for (size_t i = 0; ini != NULL && i < ini->count; i++) {
        const struct il_ini_entry *e = &ini->entries[i];
        if (e->key != NULL && strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0) {
            found = e->value;
            if (line) {
                *line = e->line;
            }
        }
    }
    return found;
}
