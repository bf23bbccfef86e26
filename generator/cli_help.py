"""The command line's help text: configuration keys and examples, shown by ``--help``."""

from __future__ import annotations

CONFIGURATION_HELP = """\
configuration:
  [tool.specforge] in the nearest pyproject.toml (or --config FILE), for example
      specs-dir = "specs"
      out-dir = "generated"
      packages = { musement = "musement_api" }   # spec file stem -> package name
  Paths there are relative to the pyproject.toml; options given here override them.
"""

COMMANDS: dict[str, tuple[str, str]] = {
    "generate": (
        "write <out>/<name>/ for every spec (or for --spec)",
        """\
examples:
  specforge generate                        every spec in specs/ -> generated/<name>/
  specforge generate -v                     also list every file and the settings used
  specforge generate --spec api.yaml --name acme_api --out vendor/
                                            one spec from anywhere, as the package acme_api

Writing is all or nothing: when any spec has an error, nothing is written.
exit status: 0 written or already up to date; 2 a spec, the configuration or the output
folder cannot be used
""",
    ),
    "check": (
        "exit 1, with a diff, when the output on disk differs from what would be generated",
        """\
examples:
  specforge check                           every package; a unified diff of each change
  specforge check -q                        only the names of the files that differ
  specforge check --spec specs/musement.yaml
                                            one package only

exit status: 0 up to date; 1 drift (run `specforge generate` and commit the result);
2 a spec or the configuration cannot be used
""",
    ),
    "validate": (
        "check the specs without generating anything",
        """\
examples:
  specforge validate                        every spec in specs/
  specforge validate --spec specs/musement.yaml

Problems are printed as file:line:col: error: message, all of them at once.
exit status: 0 every spec can be generated; 2 problems found
""",
    ),
}

MAIN_EPILOG = (
    "examples:\n"
    "  specforge generate                 specs/*.yaml -> generated/<name>/\n"
    "  specforge check                    exit 1, with a diff, if generated/ is out of date\n"
    "  specforge validate                 check the specs only\n"
    "  specforge diff --against origin/main   what a change breaks for code using the packages\n"
    "  specforge check --help             the options and examples of one command\n\n"
    + CONFIGURATION_HELP
    + "\nexit status: 0 ok, 1 drift (check), 2 bad input, 130 interrupted\n"
)
