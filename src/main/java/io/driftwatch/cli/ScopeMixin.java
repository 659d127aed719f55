package io.driftwatch.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --schemas} and {@code --exclude}: which objects a command reads.
 */
public final class ScopeMixin {

    @Option(names = "--schemas", split = ",", paramLabel = "SCHEMA",
            description = "Schemas to read, comma-separated. Default: every non-system schema.")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Leave out objects whose qualified name matches, e.g. 'public.tmp_*' or 'audit.**' "
                    + "(* stays within one name, ** crosses dots); repeatable.")
    List<String> excludes = new ArrayList<>();
}
