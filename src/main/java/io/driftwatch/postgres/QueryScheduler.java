package io.driftwatch.postgres;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands the independent catalog queries of one read to the connections that read them (the
 * caller's connection and the worker connections sharing its snapshot) and collects their raw
 * results; the model is assembled from those results, in a fixed order, after every query is done.
 *
 * <p>Scheduling: one shared queue, heaviest query first (longest processing time first, the classic
 * greedy list schedule); whichever connection is free takes the next query, so a worker that
 * connects late, or never, only shifts work to the others. The first failure wins: the queue is
 * emptied, statements still running on other connections are cancelled, and that failure is what
 * the read throws. Thread-safe; every method synchronizes on this object.
 */
final class QueryScheduler {

    private final Deque<CatalogQuery> queue = new ArrayDeque<>();
    private final Map<CatalogQuery, List<Object>> results = new EnumMap<>(CatalogQuery.class);
    private final Set<Statement> running = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private String[] schemaNames;
    private boolean started;
    private boolean finished;
    private int inFlight;
    private Throwable failure;

    /**
     * Publishes the schema names and the queries to run; wakes the waiting workers.
     *
     * @param names   the schema names every query takes as its {@code text[]} parameter
     * @param queries the queries, heaviest first
     */
    synchronized void start(String[] names, List<CatalogQuery> queries) {
        schemaNames = names.clone();
        queue.addAll(queries);
        started = true;
        notifyAll();
    }

    /**
     * Ends the read for the workers: those not yet started get no query, late ones close their
     * connection at once. Idempotent.
     */
    synchronized void finish() {
        finished = true;
        queue.clear();
        notifyAll();
    }

    /** @return true once {@link #finish()} was called */
    synchronized boolean finished() {
        return finished;
    }

    /**
     * Waits until the queries are published (or the read is over).
     *
     * @return the schema names, or null when the read is over or has failed (nothing to do)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    synchronized String[] awaitStart() throws InterruptedException {
        while (!started && !finished) {
            wait();
        }
        return finished || failure != null ? null : schemaNames;
    }

    /** @return the next query to run (counted as in flight until {@link #done} or {@link #fail}), or null */
    synchronized CatalogQuery next() {
        if (finished || failure != null || queue.isEmpty()) {
            return null;
        }
        inFlight++;
        return queue.removeFirst();
    }

    /** Records a query's raw rows (mapped, not yet assembled). */
    synchronized void done(CatalogQuery q, List<Object> rows) {
        results.put(q, rows);
        inFlight--;
        notifyAll();
    }

    /**
     * Records a failure of an in-flight query (only the first counts), empties the queue and
     * cancels the statements running on the other connections.
     */
    synchronized void fail(Throwable t) {
        inFlight--;
        if (failure == null) {
            failure = t;
            queue.clear();
            for (Statement s : running) {
                try {
                    s.cancel();
                } catch (SQLException e) {
                    t.addSuppressed(e);
                }
            }
        }
        notifyAll();
    }

    /** A statement that is about to run (so a failure elsewhere can cancel it). */
    synchronized void running(Statement s) {
        running.add(s);
    }

    /** A statement that has finished, successfully or not. */
    synchronized void stopped(Statement s) {
        running.remove(s);
    }

    /** Keeps a one-line note for the caller (notes are handed over on the caller's thread). */
    synchronized void note(String line) {
        notes.add(line);
    }

    /** @return the notes so far, in order; clears them */
    synchronized List<String> drainNotes() {
        List<String> copy = List.copyOf(notes);
        notes.clear();
        return copy;
    }

    /**
     * Waits until no query is in flight on any connection.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    synchronized void awaitIdle() throws InterruptedException {
        while (inFlight > 0) {
            wait();
        }
    }

    /** @return the first failure, or null */
    synchronized Throwable failure() {
        return failure;
    }

    /** @return the raw rows of a query that ran, or an empty list when it did not run */
    synchronized List<Object> rows(CatalogQuery q) {
        return results.getOrDefault(q, List.of());
    }
}
