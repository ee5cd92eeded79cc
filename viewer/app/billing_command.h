// `confrere billing ...`: téléexpertise billing from the command line.
//
//   confrere billing price ACT [--date YYYY-MM-DD] [--overseas] [--role R] [--json]
//   confrere billing record ACT --rpps RPPS (--patient-ins INS | --patient-id ID) [options] [--json]
//   confrere billing ledger [--json] [--year Y] [--rpps RPPS] [--ledger FILE]
//   confrere billing export --format csv|json [--year Y] [--rpps RPPS] [--all] [--out FILE] [--ledger FILE]
//   confrere billing activity --rpps RPPS --year Y --total N [--ledger FILE]
//   confrere billing rules [--date YYYY-MM-DD] [--json]
//
// Exit codes: 0 success (an act recorded as not billable is a success), 2 a
// usage error (a value that is malformed or not among the valid ones, named on
// stderr with what would be valid), 1 any other failure (no tariff on that
// date, ledger refused or unreadable). Errors are one line on stderr.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace confrere::app {

// Registers the `billing` subcommand and its subcommands on `cli`. When the
// command line selects one of them, parsing sets `action` to the function that
// runs it and returns its exit code; `action` is left untouched otherwise.
// `action` must outlive cli.parse(). Options are checked by the action itself
// (not by CLI11) so that every bad value exits with 2 and a message listing
// the valid ones; unknown options and extra arguments too.
void addBillingCommands(CLI::App& cli, std::function<int()>& action);

}  // namespace confrere::app
