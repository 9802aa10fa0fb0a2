/*
 * The loader's source of libyaml events, optionally read ahead by a second thread.
 *
 * libyaml's scanner and parser are most of the time a large ledger takes to load (the benchmark's "floor"). Building
 * the tree from the events is the other large part, and the two are independent until the end: on a machine with a
 * spare core a reader thread runs yaml_parser_parse() ahead while the loader consumes. Events travel in fixed
 * batches through a bounded ring (S_BATCHES x S_BATCH_EVENTS), so read-ahead never holds more than a few thousand
 * events however large or hostile the file. The sequence of events, and so every result and diagnostic, is the same
 * with or without the thread; small files (the usual ledger) never start one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_yaml_internal.h"

#define S_BATCHES 4u
#define S_BATCH_EVENTS 1024u

struct s_batch {
    yaml_event_t events[S_BATCH_EVENTS];
    size_t count;
    int last; /* the producer stopped after this batch: stream end or parser error */
};

struct il_yaml_events {
    yaml_parser_t *parser;
    int threaded;
    yaml_event_t current; /* unthreaded: the event last returned */
    int holding;          /* current needs deleting */
    /* threaded mode only */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct s_batch *ring; /* S_BATCHES */
    size_t head, tail;    /* batches published (producer) and handed back (consumer); slot = counter % S_BATCHES */
    int stop;             /* consumer asks the producer to finish early */
    int failed;           /* the parser reported an error (its state is readable after il_yaml_events_free) */
    /* consumer only */
    int have;  /* holds batch `tail` */
    size_t pos; /* next event in it */
    int ended; /* the last batch is used up */
};

static void *s_produce(void *arg) {
    struct il_yaml_events *ev = arg;
    for (int last = 0; !last;) {
        pthread_mutex_lock(&ev->lock);
        while (ev->head - ev->tail == S_BATCHES && !ev->stop) {
            pthread_cond_wait(&ev->changed, &ev->lock);
        }
        int stop = ev->stop;
        struct s_batch *b = &ev->ring[ev->head % S_BATCHES];
        pthread_mutex_unlock(&ev->lock);
        if (stop) {
            break;
        }
        /* the slot is ours until published: clear what the consumer handed back (every malloc and free of the
         * events' strings stays in this thread: cross-thread frees cost more than the thread saves), then refill */
        for (size_t i = 0; i < b->count; i++) {
            yaml_event_delete(&b->events[i]);
        }
        b->count = 0;
        b->last = 0;
        while (b->count < S_BATCH_EVENTS) {
            yaml_event_t *e = &b->events[b->count];
            if (!yaml_parser_parse(ev->parser, e)) {
                b->last = 1;
                pthread_mutex_lock(&ev->lock);
                ev->failed = 1;
                pthread_mutex_unlock(&ev->lock);
                break;
            }
            b->count++;
            if (e->type == YAML_STREAM_END_EVENT) {
                b->last = 1;
                break;
            }
        }
        last = b->last;
        pthread_mutex_lock(&ev->lock);
        ev->head++;
        pthread_cond_broadcast(&ev->changed);
        pthread_mutex_unlock(&ev->lock);
    }
    return NULL;
}

enum il_status il_yaml_events_new(yaml_parser_t *parser, int threaded, struct il_yaml_events **out) {
    *out = NULL;
    struct il_yaml_events *ev = calloc(1, sizeof(*ev));
    if (ev == NULL) {
        return IL_ERR_NOMEM;
    }
    ev->parser = parser;
    if (threaded) {
        ev->ring = calloc(S_BATCHES, sizeof(*ev->ring));
        if (ev->ring == NULL) {
            free(ev);
            return IL_ERR_NOMEM;
        }
        if (pthread_mutex_init(&ev->lock, NULL) != 0) {
            free(ev->ring);
            free(ev);
            return IL_ERR_NOMEM;
        }
        if (pthread_cond_init(&ev->changed, NULL) != 0) {
            pthread_mutex_destroy(&ev->lock);
            free(ev->ring);
            free(ev);
            return IL_ERR_NOMEM;
        }
        /* no thread (resource limits, seccomp): fall back to reading in this one, same results */
        ev->threaded = pthread_create(&ev->thread, NULL, s_produce, ev) == 0;
        if (!ev->threaded) {
            pthread_cond_destroy(&ev->changed);
            pthread_mutex_destroy(&ev->lock);
            free(ev->ring);
            ev->ring = NULL;
        }
    }
    *out = ev;
    return IL_OK;
}

const yaml_event_t *il_yaml_events_next(struct il_yaml_events *ev) {
    if (!ev->threaded) {
        if (ev->holding) {
            yaml_event_delete(&ev->current);
            ev->holding = 0;
        }
        if (!yaml_parser_parse(ev->parser, &ev->current)) {
            return NULL;
        }
        ev->holding = 1;
        return &ev->current;
    }
    for (;;) {
        if (ev->ended) {
            return NULL; /* nothing after the last batch: only reached after a parser error */
        }
        if (!ev->have) {
            pthread_mutex_lock(&ev->lock);
            while (ev->tail == ev->head) {
                pthread_cond_wait(&ev->changed, &ev->lock);
            }
            pthread_mutex_unlock(&ev->lock);
            ev->have = 1;
            ev->pos = 0;
        }
        const struct s_batch *b = &ev->ring[ev->tail % S_BATCHES];
        if (ev->pos < b->count) {
            return &b->events[ev->pos++];
        }
        /* batch used up: hand the slot back (the producer deletes its events) */
        int last = b->last;
        ev->have = 0;
        pthread_mutex_lock(&ev->lock);
        ev->tail++;
        pthread_cond_broadcast(&ev->changed);
        pthread_mutex_unlock(&ev->lock);
        ev->ended = last;
    }
}

void il_yaml_events_free(struct il_yaml_events *ev) {
    if (ev == NULL) {
        return;
    }
    if (ev->threaded) {
        pthread_mutex_lock(&ev->lock);
        ev->stop = 1;
        pthread_cond_broadcast(&ev->changed);
        pthread_mutex_unlock(&ev->lock);
        pthread_join(ev->thread, NULL);
        /* the thread has stopped: every slot's events are ours to delete, consumed or not */
        for (size_t k = 0; k < S_BATCHES; k++) {
            for (size_t i = 0; i < ev->ring[k].count; i++) {
                yaml_event_delete(&ev->ring[k].events[i]);
            }
        }
        pthread_cond_destroy(&ev->changed);
        pthread_mutex_destroy(&ev->lock);
        free(ev->ring);
    }
    if (ev->holding) {
        yaml_event_delete(&ev->current);
    }
    free(ev);
}
