package io.driftwatch.postgres.ddl;

import io.driftwatch.model.CatalogObject;

import java.util.List;

/**
 * Comments ({@link io.driftwatch.model.ObjectKind#COMMENT}, attribute {@code text}, target = the
 * commented object): {@code COMMENT ON <target> IS '<text>'} to add or change one (it replaces any
 * previous comment, so running it twice changes nothing), and {@code COMMENT ON <target> IS NULL}
 * to remove one, inside a guard that skips it once the target no longer exists (it may be dropped
 * by the same plan). Never destructive. Phase {@link Phase#COMMENTS}, after every object is created.
 *
 * <p>PostgreSQL docs, COMMENT: "Write a new comment ... or NULL to drop the comment".
 */
final class CommentPlanner implements ObjectPlanner {

    @Override
    public void create(CatalogObject o, Emitter e) {
        e.add(Phase.COMMENTS, 0, set(o, o.attr("text")), o.ref(), List.of(), true, false,
                "set " + o.ref());
    }

    @Override
    public void drop(CatalogObject o, Emitter e) {
        e.add(Phase.COMMENTS, 0, PgDdl.guarded(AccessDdl.exists(o), List.of(PgDdl.exec(stripSemicolon(set(o, null))))),
                o.ref(), List.of(), true, false, "remove extra " + o.ref());
    }

    @Override
    public void modify(CatalogObject from, CatalogObject to, List<String> changed, Emitter e) {
        e.add(Phase.COMMENTS, 0, set(to, to.attr("text")), to.ref(), List.of(), true, false,
                "change " + to.ref());
    }

    /** @return {@code COMMENT ON <target> IS <literal or NULL>;} */
    static String set(CatalogObject o, String text) {
        return "COMMENT ON " + AccessDdl.commentTarget(o) + " IS "
                + (text == null ? "NULL" : PgDdl.lit(text)) + ";";
    }

    private static String stripSemicolon(String sql) {
        return sql.substring(0, sql.length() - 1);
    }
}
