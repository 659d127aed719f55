package io.driftwatch.alembic;

import java.nio.file.Path;

/**
 * A Python interpreter that can {@code import alembic, sqlalchemy}, as {@link PythonLocator} probed it.
 *
 * @param executable        the interpreter as it is run (an absolute path)
 * @param pythonVersion     e.g. {@code 3.11.2}
 * @param alembicVersion    {@code alembic.__version__}, e.g. {@code 1.8.1}
 * @param sqlalchemyVersion {@code sqlalchemy.__version__}, e.g. {@code 1.4.46}
 * @param psycopg2Version   {@code psycopg2.__version__} (first word), or null when not importable
 * @param psycopgVersion    {@code psycopg.__version__} (psycopg 3), or null when not importable
 */
public record PythonInterpreter(Path executable, String pythonVersion, String alembicVersion,
                                String sqlalchemyVersion, String psycopg2Version, String psycopgVersion) {

    /** @return one line for humans, e.g. {@code /usr/bin/python3 (Python 3.11.2, Alembic 1.8.1, SQLAlchemy 1.4.46)} */
    public String describe() {
        return executable + " (Python " + pythonVersion + ", Alembic " + alembicVersion + ", SQLAlchemy "
                + sqlalchemyVersion + ")";
    }
}
