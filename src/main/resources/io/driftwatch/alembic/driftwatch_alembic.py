#!/usr/bin/env python3
"""Driftwatch's Alembic helper: asks Alembic itself about a project and runs its commands.

Run by Driftwatch (io.driftwatch.alembic.AlembicHelper) with the user's Python; standard library and
alembic (+ SQLAlchemy and a DB driver for the commands that connect) only. Compatible with Python
3.8+, Alembic 1.8 .. 1.16+ and SQLAlchemy 1.4 / 2.x.

Subcommands (each writes exactly one JSON object on stdout):

  inspect --config INI [--name SECTION] [--current [ROW ...]]
  upgrade --config INI [--name SECTION] [--url URL] TARGET [TARGET ...]
  stamp   --config INI [--name SECTION] [--url URL] [--purge] REVISION [REVISION ...]
  current --config INI [--name SECTION] [--url URL]

The database URL (a SQLAlchemy URL) is read from --url or, better (argv is visible to other users),
from the environment variable DRIFTWATCH_ALEMBIC_URL. It is handed to env.py both as Alembic's
sqlalchemy.url and as DATABASE_URL. The password in it never appears in the output.

Success: {"ok": true, "protocol": 1, "command": ..., ...}; exit code 0.
Failure: {"ok": false, "protocol": 1, "error": {"kind": ..., "message": ..., "revision": ...,
"traceback": ...}}; exit code 1 (2 for a usage error). Kinds: usage, config, script, graph, target,
env, database, revision, internal. Anything env.py or a revision prints goes to stderr, never into
the JSON on stdout.
"""

import argparse
import functools
import json
import os
import re
import sys
import traceback
import warnings

PROTOCOL = 1
URL_ENV = "DRIFTWATCH_ALEMBIC_URL"
MAX_WARNINGS = 50


class HelperError(Exception):
    """An error reported as data: kind, one-line message, the revision concerned, extra fields."""

    def __init__(self, kind, message, revision=None, **extra):
        Exception.__init__(self, message)
        self.kind = kind
        self.message = message
        self.revision = revision
        self.extra = extra

    def as_json(self):
        out = {"kind": self.kind, "message": self.message, "revision": self.revision}
        out.update(self.extra)
        return out


class UsageParser(argparse.ArgumentParser):
    def error(self, message):
        raise HelperError("usage", "%s: %s" % (self.prog, message))


# ---------------------------------------------------------------------------------------------
# secrets


class Masker:
    """Masks database passwords in every string that leaves the helper."""

    _URL_PASSWORD = re.compile(r"(?P<pre>[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s'\"]*:)[^@\s'\"]*@")
    _KEYWORD_PASSWORD = re.compile(r"(?P<pre>\bpassword\s*=\s*)('[^']*'|\"[^\"]*\"|[^\s&;,)]+)", re.I)

    def __init__(self):
        self.secrets = []

    def add_url(self, url):
        if not url:
            return
        m = re.match(r"^[^:/]+://([^@/?#]*)@", url)
        if m and ":" in m.group(1):
            raw = m.group(1).split(":", 1)[1]
            self._add(raw)
            try:
                from urllib.parse import unquote

                self._add(unquote(raw))
            except Exception:
                pass
        q = re.search(r"[?&]password=([^&]*)", url)
        if q:
            self._add(q.group(1))
            try:
                from urllib.parse import unquote_plus

                self._add(unquote_plus(q.group(1)))
            except Exception:
                pass

    def _add(self, secret):
        # very short secrets are left to the URL patterns: replacing every "a" would garble all text
        if secret and len(secret) >= 4 and secret not in self.secrets:
            self.secrets.append(secret)
            self.secrets.sort(key=len, reverse=True)

    def text(self, s):
        if not isinstance(s, str):
            return s
        for secret in self.secrets:
            s = s.replace(secret, "***")
        s = self._URL_PASSWORD.sub(lambda m: m.group("pre") + "***@", s)
        s = self._KEYWORD_PASSWORD.sub(lambda m: m.group("pre") + "***", s)
        return s

    def value(self, v):
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, dict):
            return {self.text(k): self.value(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [self.value(x) for x in v]
        return v


# ---------------------------------------------------------------------------------------------
# small utilities


def to_list(value):
    """None -> [], "a" -> ["a"], ("a", "b") -> ["a", "b"] (Alembic's own normalisation)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [x for x in value]
    except TypeError:
        return [value]


def rel(path, base):
    try:
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    except ValueError:
        return os.path.abspath(path).replace(os.sep, "/")


def first_line(text):
    if not text:
        return None
    for line in str(text).strip().splitlines():
        if line.strip():
            return line.strip()
    return None


def exception_line(exc):
    """One line: the DBAPI error when SQLAlchemy wraps one, else TypeName: first line of str()."""
    orig = getattr(exc, "orig", None)
    target = orig if isinstance(orig, BaseException) else exc
    t = type(target)
    name = t.__name__ if t.__module__ in ("builtins", "__main__") else "%s.%s" % (t.__module__, t.__name__)
    msg = first_line(str(target)) or ""
    return ("%s: %s" % (name, msg)) if msg else name


def versions():
    out = {"python": "%d.%d.%d" % sys.version_info[:3], "alembic": None, "sqlalchemy": None}
    try:
        import alembic

        out["alembic"] = getattr(alembic, "__version__", None)
    except Exception:
        pass
    try:
        import sqlalchemy

        out["sqlalchemy"] = getattr(sqlalchemy, "__version__", None)
    except Exception:
        pass
    return out


def traceback_location(tb, wanted_paths):
    """(path, line) of the innermost traceback frame inside one of wanted_paths (absolute), or None."""
    found = None
    wanted = {os.path.realpath(p) for p in wanted_paths if p}
    for frame in traceback.extract_tb(tb):
        if os.path.realpath(frame.filename) in wanted:
            found = (frame.filename, frame.lineno)
    return found


def traceback_in_dirs(tb, dirs):
    """(path, line) of the innermost traceback frame in a file under one of dirs, or None."""
    found = None
    roots = [os.path.realpath(d) + os.sep for d in dirs if d]
    for frame in traceback.extract_tb(tb):
        p = os.path.realpath(frame.filename)
        if any(p.startswith(r) for r in roots):
            found = (frame.filename, frame.lineno)
    return found


# ---------------------------------------------------------------------------------------------
# configuration


class Project:
    """alembic.ini + its section, resolved: the Config, where each setting came from, the folders."""

    def __init__(self, args, url):
        try:
            from alembic.config import Config
        except Exception as e:  # pragma: no cover - the locator checked this already
            raise HelperError("config", "cannot import alembic: %s" % exception_line(e))
        ini = os.path.abspath(args.config)
        if not os.path.isfile(ini):
            raise HelperError("config", "Alembic config file not found: %s" % ini)
        self.ini = ini
        self.section = args.name
        self.project_dir = os.path.abspath(args.project_dir or os.path.dirname(ini))
        self.config = Config(ini, ini_section=args.name)
        try:
            fc = self.config.file_config
        except Exception as e:
            raise HelperError("config", "cannot read %s: %s" % (ini, exception_line(e)))
        if not fc.has_section(args.name):
            raise HelperError("config", "no [%s] section in %s" % (args.name, ini))
        self.settings = {}
        script_location = self.config.get_main_option("script_location")
        if script_location:
            self.settings["script_location"] = {"value": script_location, "source": "alembic.ini"}
        else:
            here = os.path.dirname(ini)
            if os.path.isfile(os.path.join(here, "env.py")):
                # Flask-Migrate's layout: migrations/alembic.ini without script_location; Flask-Migrate
                # sets it to the folder of alembic.ini
                self.config.set_main_option("script_location", here.replace("%", "%%"))
                self.settings["script_location"] = {"value": here, "source": "flask-migrate layout"}
            else:
                raise HelperError("config", "no script_location in [%s] of %s" % (args.name, ini))
        for key, default in (("version_table", "alembic_version"), ("version_table_schema", None)):
            v = self.config.get_main_option(key)
            if v:
                self.settings[key] = {"value": v, "source": "alembic.ini"}
            else:
                self.settings[key] = {"value": default, "source": "default"}
        if url is not None:
            # ConfigParser interpolation: a literal % must be written %%
            self.config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
            os.environ["DATABASE_URL"] = url
        self.script_dir = None
        self.scripts = None

    def load_script_directory(self):
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError

        try:
            sd = ScriptDirectory.from_config(self.config)
        except CommandError as e:
            raise HelperError("config", first_line(str(e)) or "cannot open the script directory")
        except ValueError as e:  # a bad path_separator value
            raise HelperError("config", first_line(str(e)) or "bad configuration")
        self.script_dir = sd
        return sd

    def version_locations(self):
        sd = self.script_dir
        locs = getattr(sd, "_version_locations", None)
        if locs is None:
            locs = sd.version_locations or [os.path.join(sd.dir, "versions")]
        return [os.path.abspath(x) for x in locs]

    def env_py(self):
        return os.path.join(self.script_dir.dir, "env.py")

    def load_scripts(self):
        """Every revision file as Alembic's Script, imported once; load failures as kind 'script'."""
        sd = self.script_dir or self.load_script_directory()
        loader = getattr(sd, "_load_revisions", None)
        try:
            if loader is not None:
                scripts = list(loader())
            else:  # pragma: no cover - every Alembic since 0.7 has _load_revisions
                scripts = list(sd.walk_revisions())
        except HelperError:
            raise
        except BaseException as e:
            where = None
            if isinstance(e, SyntaxError) and e.filename:
                where = (e.filename, e.lineno)
            else:
                where = traceback_in_dirs(sys.exc_info()[2], self.version_locations())
            extra = {"traceback": traceback.format_exc()}
            if where:
                extra["path"] = rel(where[0], self.project_dir)
                extra["line"] = where[1]
                msg = "cannot load revision file %s: %s" % (extra["path"], exception_line(e))
            else:
                msg = "cannot load the revision files: %s" % exception_line(e)
            raise HelperError("script", msg, None, **extra)
        self.scripts = scripts
        return scripts


# ---------------------------------------------------------------------------------------------
# the revision graph


class Graph:
    """The revision map Alembic builds from the loaded scripts, and what could not be built."""

    def __init__(self, project):
        from alembic.script.revision import RevisionMap

        self.project = project
        self.scripts = project.scripts
        self.ids = [s.revision for s in self.scripts]
        self.errors = self._static_errors()
        self.map = RevisionMap(lambda: iter(self.scripts))
        self.ok = True
        try:
            self.map.heads  # builds the map
        except Exception as e:
            self.ok = False
            self.errors.append(self._map_error(e))
        if self.ok:
            # Alembic's commands use the ScriptDirectory's own map: give it the one built here
            project.script_dir.revision_map = self.map

    def _static_errors(self):
        errors = []
        by_id = {}
        for s in self.scripts:
            by_id.setdefault(s.revision, []).append(s)
        labels = set()
        for s in self.scripts:
            labels.update(to_list(getattr(s, "_orig_branch_labels", None) or s.branch_labels))
        for rid in sorted(by_id):
            if len(by_id[rid]) > 1:
                paths = sorted(rel(s.path, self.project.project_dir) for s in by_id[rid])
                errors.append({
                    "kind": "duplicate-revision", "revision": rid, "related": paths,
                    "message": "revision %s is defined by %d files: %s" % (rid, len(paths), ", ".join(paths)),
                })
        for s in sorted(self.scripts, key=lambda x: x.revision):
            for down in to_list(s.down_revision):
                if down not in by_id:
                    errors.append({
                        "kind": "missing-parent", "revision": s.revision, "related": [down],
                        "message": "revision %s names down_revision %s, which no script defines" % (s.revision, down),
                    })
            for dep in to_list(s.dependencies):
                if dep not in by_id and dep not in labels:
                    errors.append({
                        "kind": "missing-dependency", "revision": s.revision, "related": [dep],
                        "message": "revision %s depends_on %s, which is no revision id or branch label" % (s.revision, dep),
                    })
        return errors

    def _map_error(self, e):
        revisions = list(getattr(e, "revisions", None) or [])
        name = type(e).__name__
        kind = {
            "CycleDetected": "cycle", "DependencyCycleDetected": "dependency-cycle",
            "LoopDetected": "cycle", "DependencyLoopDetected": "dependency-cycle",
        }.get(name)
        if kind is None:
            if isinstance(e, KeyError):
                kind = "missing-parent"
                revisions = [str(e.args[0])] if e.args else []
            elif "Branch name" in str(e):
                kind = "branch-label-conflict"
            else:
                kind = "revision-map"
        if isinstance(revisions, str):
            revisions = [revisions]
        msg = exception_line(e)
        if isinstance(e, KeyError):
            msg = "Alembic cannot build the revision map: no revision %s" % (e.args[0] if e.args else "?")
        if isinstance(e, KeyError):
            return {"kind": kind, "revision": None, "related": sorted(str(r) for r in revisions),
                    "message": msg, "source": "alembic"}
        return {"kind": kind, "revision": revisions[0] if len(revisions) == 1 else None,
                "related": sorted(str(r) for r in revisions), "message": msg, "source": "alembic"}

    def revision_json(self, s):
        pd = self.project.project_dir
        own_labels = getattr(s, "_orig_branch_labels", None)
        if own_labels is None:
            own_labels = getattr(s.module, "branch_labels", None)
        doc = first_line(getattr(s.module, "__doc__", None))
        out = {
            "revision": s.revision,
            "down_revisions": to_list(s.down_revision),
            "depends_on": to_list(s.dependencies),
            "branch_labels": sorted(to_list(own_labels)),
            "path": rel(s.path, pd),
            "doc": doc,
        }
        if self.ok:
            out["resolved_depends_on"] = sorted(to_list(getattr(s, "_resolved_dependencies", None)))
            out["branches"] = sorted(to_list(s.branch_labels))
            out["is_head"] = bool(s.is_head)
            out["is_base"] = bool(s.is_base)
            out["is_merge_point"] = bool(s.is_merge_point)
            out["is_branch_point"] = bool(s.is_branch_point)
        else:
            ids = set(self.ids)
            children = [x for x in self.scripts if s.revision in to_list(x.down_revision)]
            out["resolved_depends_on"] = None
            out["branches"] = None
            out["is_head"] = not children
            out["is_base"] = not to_list(s.down_revision)
            out["is_merge_point"] = len(to_list(s.down_revision)) > 1
            out["is_branch_point"] = len(children) > 1
            out["missing_parents"] = [d for d in to_list(s.down_revision) if d not in ids]
        return out

    def ancestors(self, revs):
        """Revision objects: revs and all their ancestors along down_revision and depends_on."""
        fn = getattr(self.map, "_get_ancestor_nodes", None)
        if fn is not None:
            return set(fn(revs, check=False, include_dependencies=True)) | set(revs)
        seen, todo = set(), list(revs)  # pragma: no cover - fallback for a future Alembic
        while todo:
            r = todo.pop()
            if r in seen:
                continue
            seen.add(r)
            for d in list(getattr(r, "_all_down_revisions", ())) or to_list(r.down_revision):
                todo.append(self.map.get_revision(d))
        return seen

    def state(self, rows):
        """What Alembic makes of these version-table rows: applied, pending, unknown, overlapping."""
        sd = self.project.script_dir
        ids = set(self.ids)
        rows = list(rows)
        known = [r for r in rows if r in ids]
        row_info = []
        for r in rows:
            info = {"row": r, "known": r in ids, "resolves_to": None}
            if r not in ids:
                try:
                    got = [x.revision for x in self.map.get_revisions(r) if x is not None]
                    info["resolves_to"] = got or None
                except Exception:
                    pass
            row_info.append(info)
        anc = {}
        for r in known:
            anc[r] = {x.revision for x in self.ancestors(self.map.get_revisions(r))}
        overlapping = []
        for a in known:
            for b in known:
                if a != b and a in anc[b]:
                    overlapping.append({"row": a, "ancestor_of": b})
        redundant = {o["row"] for o in overlapping}
        reduced = [r for r in known if r not in redundant]
        applied = set()
        for r in reduced:
            applied |= anc[r]

        def plan(destination, current):
            try:
                steps = sd._upgrade_revs(destination, tuple(current))
                return [st.revision.revision for st in steps], None
            except Exception as e:
                return None, first_line(str(e)) or exception_line(e)

        pending, upgrade_error = plan("heads", rows)
        pending_from = rows
        if pending is None:
            pending_from = reduced
            pending, _ = plan("heads", reduced)
        _, head_error = plan("head", reduced)
        order = {rid: i for i, rid in enumerate(self.topological())}
        return {
            "rows": row_info,
            "applied": sorted(applied, key=lambda x: (order.get(x, 0), x)),
            "pending": pending,
            "pending_from": sorted(pending_from),
            "unknown": [r for r in rows if r not in ids],
            "overlapping": overlapping,
            "upgrade_heads_error": upgrade_error,
            "upgrade_head_error": head_error,
        }

    def topological(self):
        """Every revision id in the order `alembic upgrade heads` applies them from an empty database."""
        try:
            return [st.revision.revision for st in self.project.script_dir._upgrade_revs("heads", ())]
        except Exception:
            return sorted(self.ids)


# ---------------------------------------------------------------------------------------------
# runs of env.py


class Tracker:
    """Follows a run: which revision's upgrade() is running, which completed, what env.py configured."""

    def __init__(self):
        self.current = None
        self.phase = None
        self.completed = []
        self.configured = {}
        self.statements = None

    def start(self, rev):
        if self.current is not None and self.phase == "version-table":
            # the previous step's version row was written (no on_version_apply seen)
            self.completed.append(self.current)
        self.current = rev
        self.phase = "upgrade"

    def fn_done(self, rev):
        self.phase = "version-table"

    def on_version_apply(self, ctx=None, step=None, heads=None, run_args=None, **kw):
        if step is not None and getattr(step, "is_stamp", False):
            return
        if self.current is not None:
            self.completed.append(self.current)
        self.current = None
        self.phase = None


def install_hooks(tracker):
    """Chains the tracker into Alembic for this process: EnvironmentContext.configure (to add an
    on_version_apply callback and see env.py's options) and RevisionStep (to know whose upgrade() runs)."""
    from alembic.runtime.environment import EnvironmentContext

    original_configure = EnvironmentContext.configure

    def configure(self, *args, **kw):
        for key in ("version_table", "version_table_schema", "transaction_per_migration", "transactional_ddl"):
            if key in kw:
                tracker.configured[key] = kw[key]
        callbacks = to_list(kw.get("on_version_apply"))
        callbacks.append(tracker.on_version_apply)
        kw["on_version_apply"] = tuple(callbacks)
        return original_configure(self, *args, **kw)

    EnvironmentContext.configure = configure
    try:
        from alembic.runtime.migration import RevisionStep
    except Exception:  # pragma: no cover
        return
    original_init = RevisionStep.__init__

    def init(self, *args, **kw):
        original_init(self, *args, **kw)
        fn = getattr(self, "migration_fn", None)
        if fn is None or not getattr(self, "is_upgrade", False):
            return
        rid = self.revision.revision

        @functools.wraps(fn)  # Alembic logs the step by migration_fn.__name__
        def run(*a, **k):
            tracker.start(rid)
            result = fn(*a, **k)
            tracker.fn_done(rid)
            return result

        self.migration_fn = run

    RevisionStep.__init__ = init


def record_statements(tracker):
    """Records every INSERT/UPDATE/DELETE/CREATE statement executed (with its parameters)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    tracker.statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if head in ("INSERT", "UPDATE", "DELETE", "CREATE"):
            tracker.statements.append({"sql": " ".join(statement.split()), "parameters": repr(parameters)})

    event.listen(Engine, "before_cursor_execute", before)


def is_database_error(e):
    try:
        from sqlalchemy import exc as sa_exc

        if isinstance(e, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return True
    except Exception:
        pass
    return type(e).__name__ in ("OperationalError", "InterfaceError")


def run_failure(e, project, tracker, what):
    """The HelperError for an exception raised while env.py ran."""
    tb = sys.exc_info()[2]
    extra = {"traceback": traceback.format_exc(), "ran_before": list(tracker.completed)}
    statement = getattr(e, "statement", None)
    if statement:
        extra["sql"] = " ".join(str(statement).split())
    line = exception_line(e)
    if tracker.current is not None:
        rid = tracker.current
        script = project.script_dir.revision_map.get_revision(rid) if project.script_dir else None
        path = getattr(script, "path", None)
        extra["phase"] = tracker.phase
        if path:
            extra["path"] = rel(path, project.project_dir)
            loc = traceback_location(tb, [path])
            if loc:
                extra["line"] = loc[1]
        where = (" (%s)" % extra["path"]) if "path" in extra else ""
        if tracker.phase == "version-table":
            msg = "revision %s%s ran, but writing its version row failed: %s" % (rid, where, line)
        else:
            msg = "revision %s%s failed: %s" % (rid, where, line)
        return HelperError("revision", msg, rid, **extra)
    from alembic.util import CommandError

    if isinstance(e, CommandError):
        return HelperError("target" if "revision" in str(e).lower() else "env",
                           "alembic %s: %s" % (what, first_line(str(e))), None, **extra)
    if is_database_error(e):
        return HelperError("database", "alembic %s could not use the database: %s" % (what, line), None, **extra)
    env_py = project.env_py()
    loc = traceback_location(tb, [env_py])
    if loc:
        extra["path"] = rel(env_py, project.project_dir)
        extra["line"] = loc[1]
        return HelperError("env", "env.py failed (line %d): %s" % (loc[1], line), None, **extra)
    return HelperError("env", "alembic %s failed: %s" % (what, line), None, **extra)


def read_current(project):
    """The version table as env.py configures it: rows, its name and schema, whether it exists."""
    from alembic.runtime.environment import EnvironmentContext

    out = {}

    def fn(rev, context):
        out["rows"] = sorted(to_list(rev))
        out["version_table"] = getattr(context, "version_table", None)
        out["version_table_schema"] = getattr(context, "version_table_schema", None)
        exists = None
        try:
            import sqlalchemy

            exists = bool(sqlalchemy.inspect(context.connection).has_table(
                out["version_table"], schema=out["version_table_schema"]))
        except Exception:
            pass
        out["version_table_exists"] = exists
        return []

    with EnvironmentContext(project.config, project.script_dir, fn=fn, dont_mutate=True):
        project.script_dir.run_env()
    return out


def effective(project, tracker, current):
    out = {}
    for key in ("version_table", "version_table_schema"):
        if key in tracker.configured:
            out[key] = {"value": current.get(key), "source": "env.py"}
        else:
            out[key] = {"value": current.get(key), "source": "default"}
    return out


# ---------------------------------------------------------------------------------------------
# subcommands


def require_url(url):
    if not url:
        raise HelperError("usage", "no database URL: pass --url or set %s" % URL_ENV)


def loaded_graph(project):
    project.load_script_directory()
    project.load_scripts()
    graph = Graph(project)
    if not graph.ok:
        first = graph.errors[-1]
        raise HelperError("graph", "the revision graph is broken: %s" % first["message"], first.get("revision"),
                          graph_errors=graph.errors)
    return graph


def check_targets(graph, targets, what):
    for t in targets:
        try:
            got = graph.map.get_revisions(t)
        except Exception as e:
            raise HelperError("target", "%s target %s: %s" % (what, t, first_line(str(e)) or exception_line(e)), t)
        if t not in ("base",) and not [x for x in got if x is not None] and t not in ("heads", "head"):
            raise HelperError("target", "%s target %s names no revision" % (what, t), t)


def cmd_inspect(args, url):
    project = Project(args, None)
    project.load_script_directory()
    project.load_scripts()
    graph = Graph(project)
    revisions = sorted((graph.revision_json(s) for s in project.scripts), key=lambda r: (r["revision"], r["path"]))
    if graph.ok:
        heads = sorted(set(graph.map.heads))
        bases = sorted(set(graph.map.bases))
    else:
        heads = sorted(set(r["revision"] for r in revisions if r["is_head"]))
        bases = sorted(set(r["revision"] for r in revisions if r["is_base"]))
    env_text = ""
    try:
        with open(project.env_py(), encoding="utf-8") as f:
            env_text = f.read()
    except Exception:
        pass
    settings = dict(project.settings)
    settings["version_locations"] = {
        "value": [rel(p, project.project_dir) for p in project.version_locations()],
        "source": "alembic.ini" if project.config.get_main_option("version_locations") else "default",
    }
    version_num_length = None
    try:
        from alembic.runtime.migration import MigrationContext

        mc = MigrationContext.configure(dialect_name="postgresql")
        version_num_length = mc._version.c.version_num.type.length
    except Exception:
        pass
    result = {
        "static": False,
        "project_dir": project.project_dir,
        "config_file": rel(project.ini, project.project_dir),
        "section": project.section,
        "script_location": settings["script_location"],
        "version_locations": settings["version_locations"],
        "version_table": settings["version_table"],
        "version_table_schema": settings["version_table_schema"],
        "env_py": rel(project.env_py(), project.project_dir),
        "env_py_mentions": sorted(k for k in ("version_table", "version_table_schema", "include_schemas",
                                              "transaction_per_migration", "DATABASE_URL") if k in env_text),
        "settings_note": "version_table and version_table_schema are what alembic.ini says; env.py may pass "
                         "others to context.configure (upgrade, stamp and current report the effective ones)",
        "version_num_length": version_num_length,
        "graph_ok": graph.ok,
        "graph_errors": graph.errors,
        "revisions": revisions,
        "heads": heads,
        "bases": bases,
        "order": graph.topological() if graph.ok else None,
    }
    if args.current is not None:
        result["state"] = graph.state(args.current) if graph.ok else None
    return result


def cmd_current(args, url):
    require_url(url)
    project = Project(args, url)
    tracker = Tracker()
    install_hooks(tracker)
    loaded_graph(project)
    try:
        cur = read_current(project)
    except HelperError:
        raise
    except Exception as e:
        raise run_failure(e, project, tracker, "current")
    return {"rows": cur["rows"], "version_table_exists": cur["version_table_exists"],
            "effective": effective(project, tracker, cur)}


def cmd_upgrade(args, url):
    require_url(url)
    project = Project(args, url)
    tracker = Tracker()
    install_hooks(tracker)
    graph = loaded_graph(project)
    check_targets(graph, args.targets, "upgrade")
    from alembic import command

    target = args.targets[0] if len(args.targets) == 1 else tuple(args.targets)
    try:
        # several targets: one run to all of them, the way `alembic upgrade heads` walks several heads
        command.upgrade(project.config, target)
    except Exception as e:
        raise run_failure(e, project, tracker, "upgrade")
    try:
        cur = read_current(project)
    except Exception as e:
        raise run_failure(e, project, tracker, "current")
    return {"targets": list(args.targets), "applied": list(tracker.completed), "rows": cur["rows"],
            "version_table_exists": cur["version_table_exists"], "effective": effective(project, tracker, cur)}


def cmd_stamp(args, url):
    require_url(url)
    project = Project(args, url)
    tracker = Tracker()
    install_hooks(tracker)
    graph = loaded_graph(project)
    check_targets(graph, args.revisions, "stamp")
    from alembic import command

    try:
        before = read_current(project)
    except Exception as e:
        raise run_failure(e, project, tracker, "current")
    record_statements(tracker)
    try:
        command.stamp(project.config, list(args.revisions), purge=args.purge)
    except Exception as e:
        raise run_failure(e, project, tracker, "stamp")
    statements = list(tracker.statements or [])
    tracker.statements = None
    try:
        after = read_current(project)
    except Exception as e:
        raise run_failure(e, project, tracker, "current")
    return {"revisions": list(args.revisions), "purge": bool(args.purge), "rows_before": before["rows"],
            "rows": after["rows"], "statements": statements, "version_table_exists": after["version_table_exists"],
            "effective": effective(project, tracker, after)}


def parser():
    p = UsageParser(prog="driftwatch_alembic", description="Driftwatch's Alembic helper (JSON on stdout)")
    sub = p.add_subparsers(dest="command")

    def common(sp, url):
        sp.add_argument("--config", required=True, help="alembic.ini")
        sp.add_argument("--name", default="alembic", help="section of alembic.ini (alembic -n)")
        sp.add_argument("--project-dir", default=None, help="paths are reported relative to it (default: the ini's folder)")
        if url:
            sp.add_argument("--url", default=None, help="SQLAlchemy URL (better: the %s environment variable)" % URL_ENV)

    sp = sub.add_parser("inspect", help="the revision graph, and what Alembic makes of given version rows")
    common(sp, False)
    sp.add_argument("--current", nargs="*", default=None, metavar="ROW", help="version table rows")
    sp = sub.add_parser("upgrade", help="alembic upgrade to the given revisions, in one run")
    common(sp, True)
    sp.add_argument("targets", nargs="+", metavar="TARGET")
    sp = sub.add_parser("stamp", help="alembic stamp")
    common(sp, True)
    sp.add_argument("--purge", action="store_true")
    sp.add_argument("revisions", nargs="+", metavar="REVISION")
    sp = sub.add_parser("current", help="the version table's rows, read the way env.py configures it")
    common(sp, True)
    return p


COMMANDS = {"inspect": cmd_inspect, "upgrade": cmd_upgrade, "stamp": cmd_stamp, "current": cmd_current}


def main(argv):
    sys.stdout.flush()
    # our JSON goes to the real stdout; anything else written to fd 1 (prints in env.py or a
    # revision, C extensions) goes to stderr
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    masker = Masker()
    masker.add_url(os.environ.get(URL_ENV))
    masker.add_url(os.environ.get("DATABASE_URL"))
    caught = []
    code = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            args = parser().parse_args(argv)
            if not args.command:
                raise HelperError("usage", "no subcommand: inspect, upgrade, stamp or current")
            url = getattr(args, "url", None) or os.environ.get(URL_ENV) or None
            masker.add_url(url)
            body = COMMANDS[args.command](args, url)
            result = {"ok": True, "protocol": PROTOCOL, "command": args.command, "versions": versions()}
            result.update(body)
        except HelperError as e:
            code = 2 if e.kind == "usage" else 1
            result = {"ok": False, "protocol": PROTOCOL, "versions": versions(), "error": e.as_json()}
        except SystemExit as e:  # --help, or a sys.exit() in env.py
            if e.code in (0, None) and ("-h" in argv or "--help" in argv):
                result = {"ok": False, "protocol": PROTOCOL, "error": {"kind": "usage", "message": "help printed",
                                                                         "revision": None}}
                code = 2
            else:
                code = 1
                result = {"ok": False, "protocol": PROTOCOL, "versions": versions(), "error": {
                    "kind": "env", "message": "env.py or a revision called sys.exit(%r)" % (e.code,),
                    "revision": None, "traceback": traceback.format_exc()}}
        except BaseException as e:
            code = 1
            result = {"ok": False, "protocol": PROTOCOL, "versions": versions(), "error": {
                "kind": "internal", "message": "driftwatch_alembic failed: %s" % exception_line(e),
                "revision": None, "traceback": traceback.format_exc()}}
    seen = []
    for w in caught:
        text = "%s: %s" % (w.category.__name__, first_line(str(w.message)) or "")
        if text not in seen:
            seen.append(text)
    result["warnings"] = seen[:MAX_WARNINGS]
    out.write(json.dumps(masker.value(result), indent=None, sort_keys=False))
    out.write("\n")
    out.flush()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
