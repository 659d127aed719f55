package io.driftwatch.model;

/**
 * A table constraint ({@code pg_constraint} row): primary key, unique, check, foreign key or
 * exclusion. NOT NULL is modelled on {@link Column#notNull()}, not here.
 *
 * @param name       constraint name ({@code conname})
 * @param type       constraint type ({@code contype})
 * @param definition text from {@code pg_get_constraintdef(oid)}, e.g.
 *                   {@code FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE};
 *                   with the reader's {@code search_path} pinned to {@code pg_catalog}, names are
 *                   schema-qualified, so the text compares equal across databases
 * @param columns    constrained column names in key order ({@code conkey}; for a CHECK, the columns it mentions)
 * @param referencedTable for foreign keys, {@code schema.table} quoted as needed; else null
 */
public record Constraint(String name, Type type, String definition, java.util.List<String> columns,
                         String referencedTable) {

    public Constraint {
        columns = java.util.List.copyOf(columns);
    }

    /** {@code pg_constraint.contype}. */
    public enum Type {
        PRIMARY_KEY("p", "primary key"),
        UNIQUE("u", "unique"),
        CHECK("c", "check"),
        FOREIGN_KEY("f", "foreign key"),
        EXCLUSION("x", "exclusion");

        private final String code;
        private final String label;

        Type(String code, String label) {
            this.code = code;
            this.label = label;
        }

        /** @return the one-letter {@code contype} code */
        public String code() {
            return code;
        }

        /** @return human words, e.g. {@code "foreign key"} */
        public String label() {
            return label;
        }

        /**
         * @param contype {@code p}, {@code u}, {@code c}, {@code f} or {@code x}
         * @return the type
         * @throws IllegalArgumentException for any other code (e.g. {@code t} trigger constraints,
         *         which the reader does not select)
         */
        public static Type fromCatalog(String contype) {
            for (Type t : values()) {
                if (t.code.equals(contype)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown contype: " + contype);
        }
    }
}
