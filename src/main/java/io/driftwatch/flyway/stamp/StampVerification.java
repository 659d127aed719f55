package io.driftwatch.flyway.stamp;

import io.driftwatch.flyway.HistoryFinding;

import java.util.List;

/**
 * What applying a stamp to a copy of the version table showed.
 *
 * @param verified         true when the script ran, the history check afterwards found only the
 *                         disagreements the stamp deliberately leaves, and a second run was refused by the guard
 * @param residual         every history finding left after the stamp, as {@code HistoryChecker} reports them
 * @param unexpected       the residual findings that the stamp should have resolved (empty when verified)
 * @param problems         one line per other failure (the script failed on the copy, the copy did not hash like
 *                         the target, a second run was not refused), empty when verified
 * @param secondRunRefused true when running the script again failed with the guard's message, as it must
 * @param mismatch         null when psql executed exactly the script's statements; else one line naming the first
 *                         difference: the file must then not be written at all
 */
public record StampVerification(boolean verified, List<HistoryFinding> residual, List<HistoryFinding> unexpected,
                                List<String> problems, boolean secondRunRefused, String mismatch) {

    /** A verification whose statements matched. */
    public StampVerification(boolean verified, List<HistoryFinding> residual, List<HistoryFinding> unexpected,
                             List<String> problems, boolean secondRunRefused) {
        this(verified, residual, unexpected, problems, secondRunRefused, null);
    }

    public StampVerification {
        residual = List.copyOf(residual);
        unexpected = List.copyOf(unexpected);
        problems = List.copyOf(problems);
    }
}
