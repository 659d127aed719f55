package io.driftwatch.model;

/**
 * A plain index ({@code pg_index} row) that does not back a constraint. Indexes behind primary
 * key, unique and exclusion constraints are modelled by their {@link Constraint}.
 *
 * @param name       index relation name
 * @param definition {@code pg_get_indexdef(indexrelid)} text, e.g.
 *                   {@code CREATE UNIQUE INDEX orders_ref ON public.orders USING btree (lower(ref)) WHERE (ref IS NOT NULL)}
 * @param unique     {@code indisunique}
 * @param method     access method name ({@code btree}, {@code gin}, ...)
 * @param predicate  partial-index predicate ({@code pg_get_expr(indpred, indrelid)}), else null
 * @param valid      {@code indisvalid}; false after a failed {@code CREATE INDEX CONCURRENTLY}
 */
public record Index(String name, String definition, boolean unique, String method, String predicate,
                    boolean valid) {
}
