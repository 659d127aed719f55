package io.driftwatch.flyway.stamp;

/**
 * A stamp that must not be written because it would make the version table lie: the schema does not
 * contain what the history would then claim (that needs a bridge, {@code driftwatch bridge}), or the
 * table changed while it was being read. The message is one line saying which and what to do; the CLI
 * exits 1.
 */
public final class StampRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message one line, e.g. {@code schema does not match the migrations (1 difference, e.g. DW101
     *                public.orders.orders_status_placed_at_idx); a stamp cannot fix schema drift: run driftwatch bridge}
     */
    public StampRefusedException(String message) {
        super(message);
    }
}
