// The subcommands of the pyward binary. Each takes the arguments after its
// name (argv[0] is "pyward <name>") and returns the exit status.
#pragma once

namespace pyward {

int RunScan(int argc, char** argv);
int RunNames(int argc, char** argv);
int RunAudit(int argc, char** argv);
int RunDb(int argc, char** argv);
// pyward parse [--facts] FILE...: syntax errors and facts, one JSON line per file.
int RunParse(int argc, char** argv);

}  // namespace pyward
