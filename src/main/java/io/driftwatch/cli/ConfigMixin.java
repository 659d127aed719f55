package io.driftwatch.cli;

import io.driftwatch.config.ProjectConfig;
import io.driftwatch.policy.Policy;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/**
 * {@code --config FILE} and {@code --no-config}: the project configuration ({@code driftwatch.yaml})
 * a command takes option defaults, severity overrides and waivers from. {@link ConfigDefaults} loads
 * it after the command line is parsed and before the command runs, and leaves it here.
 */
public final class ConfigMixin {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Project configuration: option defaults (no passwords), severity overrides and waivers; "
                    + "flags given here override it. Default: ./driftwatch.yaml when present. See docs/config.md.")
    Path file;

    @Option(names = "--no-config", description = "Ignore ./driftwatch.yaml.")
    boolean noConfig;

    /** The loaded configuration, or null when none is used (set by {@link ConfigDefaults}). */
    ProjectConfig config;

    /** Today's date for waiver expiry (tests may set another clock). */
    Clock clock = Clock.systemDefaultZone();

    /** @return the policy for the loaded configuration (built-in rules only), or inline waivers only without one */
    public Policy policy() {
        return policy(Set.of());
    }

    /**
     * @param extraRules ids and slugs of rules loaded besides the built-in ones (SQL rules, lint pack),
     *                   which waivers and severity overrides may name
     * @return the policy for the loaded configuration, or the default policy (inline waivers only)
     * @throws io.driftwatch.config.ConfigException (exit 2) when the file names an unknown rule
     */
    public Policy policy(Set<String> extraRules) {
        return config == null ? Policy.defaults().withClock(clock) : config.policy(extraRules, clock);
    }

    /** @return the loaded configuration, or null */
    public ProjectConfig config() {
        return config;
    }
}
