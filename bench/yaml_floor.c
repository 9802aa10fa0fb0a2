/*
 * The floor for any libyaml-based validator: read the file (in one allocation, as the loader does) and pull every
 * libyaml event, building nothing. Prints the event count. usage: yaml_floor FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* Read the whole file into one allocation of its exact size (as il_yaml_load_file does). */
static char *s_read(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    char *data = malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (data != NULL && got < (size_t)sb.st_size) {
        ssize_t n = read(fd, data + got, (size_t)sb.st_size - got);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    *len = got;
    return data;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: yaml_floor FILE\n");
        return 2;
    }
    size_t len = 0;
    char *data = s_read(argv[1], &len);
    if (data == NULL) {
        fprintf(stderr, "yaml_floor: cannot read %s\n", argv[1]);
        return 2;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(data);
        return 2;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    size_t events = 0;
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            fprintf(stderr, "yaml_floor: %s at line %zu\n", parser.problem ? parser.problem : "error",
                    parser.problem_mark.line + 1);
            rc = 1;
            break;
        }
        int end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        events++;
        if (end) {
            break;
        }
    }
    yaml_parser_delete(&parser);
    free(data);
    printf("%zu events\n", events);
    return rc;
}
