// `confrere billing ...`: price, record, ledger, export, activity, rules.
//
// [SECTION] Options and usage errors
// [SECTION] JSON views
// [SECTION] Commands
// [SECTION] Registration
#include "billing_command.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "confrere/exchange/billing.h"
#include "confrere/exchange/identifiers.h"
#include "confrere/exchange/ledger.h"

namespace confrere::app {
namespace {

namespace ex = confrere::exchange;
// Insertion order kept: the headless contract lists "act", "date",
// "amountEur", "billable" first.
using json = nlohmann::ordered_json;

constexpr int kUsageError = 2;
constexpr int kFailure = 1;
constexpr std::size_t kMaxCaseId = 128;
constexpr const char* kRulesEnv = "CONFRERE_BILLING_RULES";

// [SECTION] Options and usage errors -------------------------------------------------

// Every option is kept as text and checked by the command, so that a bad
// value gets our message and exit code 2 rather than a CLI11 exit code.
struct Options {
  std::string act;
  std::string date;
  std::string role;
  std::string year;
  std::string rpps;
  std::string profession = "doctor";
  std::string specialty;
  std::string structure;
  std::string patientIns;
  std::string patientId;
  std::string counterpartRpps;
  std::string counterpartStructure;
  std::string caseId;
  std::string ledger;
  std::string format;
  std::string out;
  std::string total;
  std::vector<std::string> with;
  std::vector<std::string> rules;
  bool overseas = false;
  bool asJson = false;
  bool all = false;
};

struct Commands {
  CLI::App* billing = nullptr;
  CLI::App* price = nullptr;
  CLI::App* record = nullptr;
  CLI::App* ledger = nullptr;
  CLI::App* exportActs = nullptr;
  CLI::App* activity = nullptr;
  CLI::App* rules = nullptr;
};

int fail(const std::string& command, int code, const std::string& message) {
  std::fprintf(stderr, "confrere billing %s: %s\n", command.c_str(), message.c_str());
  return code;
}

// Arguments CLI11 could not place (allow_extras) are usage errors too.
bool noExtras(CLI::App* sub, const std::string& command, int& rc) {
  const std::vector<std::string> extras = sub->remaining();
  if (extras.empty()) return true;
  rc = fail(command, kUsageError,
            "unexpected argument '" + extras.front() + "' (see confrere billing " + command + " --help)");
  return false;
}

bool dateArg(const std::string& command, const std::string& text, ex::Date& out, int& rc) {
  if (text.empty()) {
    out = ex::today();
    return true;
  }
  Result<ex::Date> d = ex::parseDate(text);
  if (!d) {
    rc = fail(command, kUsageError, "--date: " + d.error().message);
    return false;
  }
  out = *d;
  return true;
}

bool yearArg(const std::string& command, const std::string& text, std::optional<int>& out, int& rc) {
  if (text.empty()) return true;
  const bool digits = text.size() == 4 && text.find_first_not_of("0123456789") == std::string::npos;
  const int year = digits ? std::stoi(text) : 0;
  if (!digits || year < 1900) {
    rc = fail(command, kUsageError, "--year '" + text + "': expected a year of 4 digits, 1900 to 9999 (e.g. 2026)");
    return false;
  }
  out = year;
  return true;
}

bool rppsArg(const std::string& command, const char* option, const std::string& text, int& rc) {
  if (Status s = ex::checkRpps(text); !s) {
    rc = fail(command, kUsageError, std::string(option) + ": " + s.error().message);
    return false;
  }
  return true;
}

bool configArg(const std::string& command, const std::vector<std::string>& specs, ex::BillingConfig& config, int& rc) {
  if (const char* env = std::getenv(kRulesEnv); env != nullptr) {
    if (Status s = config.apply(env); !s) {
      rc = fail(command, kUsageError, std::string("$") + kRulesEnv + ": " + s.error().message);
      return false;
    }
  }
  for (const std::string& spec : specs) {
    if (Status s = config.apply(spec); !s) {
      rc = fail(command, kUsageError, "--rule: " + s.error().message);
      return false;
    }
  }
  return true;
}

std::filesystem::path ledgerPath(const Options& o) {
  return o.ledger.empty() ? ex::defaultLedgerPath() : std::filesystem::path(o.ledger);
}

double euros(std::int64_t cents) {
  return static_cast<double>(cents) / 100.0;
}

// [SECTION] JSON views ------------------------------------------------------------------

json findingsJson(const std::vector<ex::Finding>& findings) {
  json arr = json::array();
  for (const ex::Finding& f : findings) {
    arr.push_back({{"rule", f.rule}, {"severity", ex::toString(f.severity)}, {"message", f.message}});
  }
  return arr;
}

json entryJson(const ex::LedgerEntry& e) {
  return {{"id", e.id},
          {"date", ex::toString(e.date)},
          {"act", ex::toString(e.act)},
          {"role", ex::toString(e.role)},
          {"patientKey", e.patientKey},
          {"practitionerRpps", e.practitionerRpps},
          {"profession", ex::toString(e.profession)},
          {"specialtyCode", e.specialtyCode},
          {"structureId", e.structureId},
          {"counterpartRpps", e.counterpartRpps},
          {"overseas", e.overseas},
          {"tariffCents", e.tariffCents},
          {"amountCents", e.amountCents},
          {"amountEur", euros(e.amountCents)},
          {"billable", e.billable},
          {"countsAsRemote", e.countsAsRemote},
          {"caseId", e.caseId},
          {"recordedAt", e.recordedAt},
          {"findings", findingsJson(e.findings)}};
}

json dateOrNull(const std::optional<ex::Date>& d) {
  return d ? json(ex::toString(*d)) : json(nullptr);
}

json professionsJson(std::span<const ex::Profession> list) {
  json arr = json::array();
  for (ex::Profession p : list) arr.push_back(ex::toString(p));
  return arr;
}

void printFindings(const std::vector<ex::Finding>& findings, bool withInfo) {
  for (const ex::Finding& f : findings) {
    if (f.severity == ex::Severity::Info && !withInfo) continue;
    std::printf("    %s [%s]: %s\n", ex::toString(f.severity), f.rule.c_str(), f.message.c_str());
  }
}

// [SECTION] Commands ----------------------------------------------------------------------

int runPrice(const Options& o) {
  const std::string cmd = "price";
  int rc = 0;
  if (o.act.empty()) {
    return fail(cmd, kUsageError,
                "give the act, e.g. confrere billing price TE2 --date 2026-01-15 (acts: RQD, TE1, TE2)");
  }
  Result<ex::Act> act = ex::parseAct(o.act);
  if (!act) return fail(cmd, kUsageError, act.error().message);
  ex::Date date;
  if (!dateArg(cmd, o.date, date, rc)) return rc;
  std::optional<ex::Role> role;
  if (!o.role.empty()) {
    Result<ex::Role> r = ex::parseRole(o.role);
    if (!r) return fail(cmd, kUsageError, "--role: " + r.error().message);
    role = *r;
  }
  Result<ex::PriceQuote> quote = ex::price(*act, date, o.overseas, role);
  if (!quote) {
    const int code = quote.error().code == ErrorCode::InvalidArgument ? kUsageError : kFailure;
    if (o.asJson) {
      json out = {{"act", ex::toString(*act)}, {"date", ex::toString(date)}, {"amountEur", nullptr},
                  {"billable", false},         {"overseas", o.overseas},     {"error", quote.error().message}};
      std::cout << out.dump(2) << "\n";
    }
    return fail(cmd, code, quote.error().message);
  }
  const ex::PriceQuote& q = *quote;
  if (o.asJson) {
    json out = {{"act", ex::toString(q.act)},
                {"date", ex::toString(q.date)},
                {"amountEur", euros(q.amountCents)},
                {"billable", true},
                {"amountCents", q.amountCents},
                {"overseas", q.overseas},
                {"role", ex::toString(q.role)},
                {"rule", std::string(q.rule->id)},
                {"validFrom", ex::toString(q.rule->validFrom)},
                {"validTo", dateOrNull(q.rule->validTo)},
                {"eligible", professionsJson(q.rule->eligible)},
                {"notes", q.notes}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%s on %s (%s, %s): %s EUR  [rule %s, %s .. %s]\n", ex::toString(q.act), ex::toString(q.date).c_str(),
              q.overseas ? "overseas" : "mainland", ex::toString(q.role), ex::formatEuros(q.amountCents).c_str(),
              std::string(q.rule->id).c_str(), ex::toString(q.rule->validFrom).c_str(),
              q.rule->validTo ? ex::toString(*q.rule->validTo).c_str() : "in force");
  for (const std::string& note : q.notes) std::printf("  note: %s\n", note.c_str());
  return 0;
}

int runRecord(const Options& o) {
  const std::string cmd = "record";
  int rc = 0;
  if (o.act.empty()) return fail(cmd, kUsageError, "give the act: RQD, TE1 or TE2 (see --help)");
  Result<ex::Act> act = ex::parseAct(o.act);
  if (!act) return fail(cmd, kUsageError, act.error().message);
  ex::ActRequest request;
  request.act = *act;
  request.overseas = o.overseas;
  if (!dateArg(cmd, o.date, request.date, rc)) return rc;
  if (!o.role.empty()) {
    Result<ex::Role> r = ex::parseRole(o.role);
    if (!r) return fail(cmd, kUsageError, "--role: " + r.error().message);
    request.role = *r;
  }
  if (o.rpps.empty()) return fail(cmd, kUsageError, "give --rpps, the 11-digit RPPS of the practitioner who bills");
  if (!rppsArg(cmd, "--rpps", o.rpps, rc)) return rc;
  Result<ex::Profession> profession = ex::parseProfession(o.profession);
  if (!profession) return fail(cmd, kUsageError, "--profession: " + profession.error().message);
  request.practitioner = {o.rpps, *profession, o.specialty, o.structure};
  if (!o.specialty.empty() &&
      (o.specialty.size() != 2 || o.specialty.find_first_not_of("0123456789") != std::string::npos)) {
    return fail(cmd, kUsageError,
                "--specialty '" + o.specialty + "': expected the insurer's 2-digit code (01 = general practice)");
  }
  if (o.patientIns.empty() == o.patientId.empty()) {
    return fail(cmd, kUsageError, "give exactly one of --patient-ins INS (15 characters) or --patient-id LOCAL_ID");
  }
  Result<std::string> key =
      o.patientIns.empty() ? ex::patientKeyFromLocalId(o.patientId) : ex::patientKeyFromIns(o.patientIns);
  if (!key)
    return fail(cmd, kUsageError, (o.patientIns.empty() ? "--patient-id: " : "--patient-ins: ") + key.error().message);
  request.patientKey = *key;
  if (!o.counterpartRpps.empty()) {
    if (!rppsArg(cmd, "--counterpart-rpps", o.counterpartRpps, rc)) return rc;
    if (o.counterpartRpps == o.rpps) {
      return fail(
          cmd, kUsageError,
          "--counterpart-rpps '" + o.counterpartRpps + "' is the practitioner's own RPPS: give the other party's");
    }
    request.counterpart = ex::Counterpart{o.counterpartRpps, o.counterpartStructure};
  } else if (!o.counterpartStructure.empty()) {
    return fail(cmd, kUsageError, "--counterpart-structure needs --counterpart-rpps");
  }
  for (const std::string& code : o.with) {
    const bool valid =
        !code.empty() && code.size() <= 16 &&
        code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+") == std::string::npos;
    if (!valid) {
      return fail(cmd, kUsageError,
                  "--with '" + code + "': expected an NGAP/CCAM code (letters, digits, '+'; e.g. G, APC, MD)");
    }
    request.otherActsSameDay.push_back(code);
  }
  if (o.caseId.size() > kMaxCaseId) {
    return fail(cmd, kUsageError, "--case: at most " + std::to_string(kMaxCaseId) + " characters");
  }
  ex::BillingConfig config;
  if (!configArg(cmd, o.rules, config, rc)) return rc;
  // A role that does not bill this act is a usage error; no tariff that day is not.
  if (Result<ex::PriceQuote> q = ex::price(request.act, request.date, request.overseas, request.role); !q) {
    return fail(cmd, q.error().code == ErrorCode::InvalidArgument ? kUsageError : kFailure, q.error().message);
  }

  const std::filesystem::path path = ledgerPath(o);
  Result<ex::Ledger> ledger = ex::Ledger::open(path);
  if (!ledger) return fail(cmd, kFailure, ledger.error().message);
  Result<ex::LedgerEntry> entry = ledger->record(request, o.caseId, config);
  if (!entry) return fail(cmd, kFailure, entry.error().message);
  const ex::LedgerEntry& e = *entry;
  if (o.asJson) {
    json out = {{"recorded", true}, {"ledger", path.string()}, {"entry", entryJson(e)}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("recorded #%lld: %s on %s by %s (%s): %s, %s EUR (tariff %s EUR)\n", static_cast<long long>(e.id),
              ex::toString(e.act), ex::toString(e.date).c_str(), e.practitionerRpps.c_str(), ex::toString(e.role),
              e.billable ? "billable" : "NOT billable", ex::formatEuros(e.amountCents).c_str(),
              ex::formatEuros(e.tariffCents).c_str());
  printFindings(e.findings, true);
  return 0;
}

int runLedger(const Options& o) {
  const std::string cmd = "ledger";
  int rc = 0;
  ex::LedgerQuery query;
  if (!yearArg(cmd, o.year, query.year, rc)) return rc;
  if (!o.rpps.empty() && !rppsArg(cmd, "--rpps", o.rpps, rc)) return rc;
  query.practitionerRpps = o.rpps;
  const std::filesystem::path path = ledgerPath(o);
  Result<ex::Ledger> ledger = ex::Ledger::open(path, {.create = false});
  if (!ledger) return fail(cmd, kFailure, ledger.error().message);
  Result<std::vector<ex::LedgerEntry>> acts = ledger->acts(query);
  if (!acts) return fail(cmd, kFailure, acts.error().message);
  Result<std::vector<ex::YearlyCounter>> counters = ledger->counters(query);
  if (!counters) return fail(cmd, kFailure, counters.error().message);
  Result<std::vector<ex::RemoteActivity>> remote = ledger->remoteActivity(query);
  if (!remote) return fail(cmd, kFailure, remote.error().message);

  int remoteLimit = 0;
  for (const ex::ConditionRule& r : ex::conditionRules()) {
    if (r.id == ex::rule::kRemoteShare) remoteLimit = r.limit;
  }
  if (o.asJson) {
    json out;
    out["ledger"] = path.string();
    out["year"] = query.year ? json(*query.year) : json(nullptr);
    out["practitionerRpps"] = o.rpps.empty() ? json(nullptr) : json(o.rpps);
    json list = json::array();
    for (const ex::LedgerEntry& e : *acts) list.push_back(entryJson(e));
    out["acts"] = std::move(list);
    json counterList = json::array();
    for (const ex::YearlyCounter& c : *counters) {
      counterList.push_back({{"year", c.year},
                             {"practitionerRpps", c.practitionerRpps},
                             {"patientKey", c.patientKey},
                             {"role", ex::toString(c.role)},
                             {"acts", c.acts},
                             {"billableActs", c.billableActs},
                             {"amountCents", c.amountCents},
                             {"amountEur", euros(c.amountCents)}});
    }
    out["counters"] = std::move(counterList);
    json remoteList = json::array();
    for (const ex::RemoteActivity& r : *remote) {
      const std::optional<double> percent = r.remotePercent();
      remoteList.push_back({{"year", r.year},
                            {"practitionerRpps", r.practitionerRpps},
                            {"remoteActs", r.remoteActs},
                            {"totalActivity", r.totalActivity},
                            {"remotePercent", percent ? json(*percent) : json(nullptr)},
                            {"limitPercent", remoteLimit}});
    }
    out["remoteActivity"] = std::move(remoteList);
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("ledger %s: %zu act(s)%s\n", path.string().c_str(), acts->size(),
              query.year ? (" in " + std::to_string(*query.year)).c_str() : "");
  for (const ex::LedgerEntry& e : *acts) {
    std::printf("  #%lld %s %s %-9s %s %s %s EUR %s%s%s\n", static_cast<long long>(e.id), ex::toString(e.date).c_str(),
                ex::toString(e.act), ex::toString(e.role), e.practitionerRpps.c_str(), e.patientKey.c_str(),
                ex::formatEuros(e.amountCents).c_str(), e.billable ? "billable" : "NOT-billable",
                e.caseId.empty() ? "" : " case ", e.caseId.c_str());
    printFindings(e.findings, false);
  }
  std::printf("yearly counters (year practitioner patient role: acts, billable, amount)\n");
  for (const ex::YearlyCounter& c : *counters) {
    std::printf("  %d %s %s %s: %d, %d, %s EUR\n", c.year, c.practitionerRpps.c_str(), c.patientKey.c_str(),
                ex::toString(c.role), c.acts, c.billableActs, ex::formatEuros(c.amountCents).c_str());
  }
  std::printf("remote activity (20 %% rule)\n");
  for (const ex::RemoteActivity& r : *remote) {
    const std::optional<double> percent = r.remotePercent();
    if (percent) {
      std::printf("  %d %s: %d remote of %d acts (%.1f %%)\n", r.year, r.practitionerRpps.c_str(), r.remoteActs,
                  r.totalActivity, *percent);
    } else {
      std::printf("  %d %s: %d remote, total activity unknown (confrere billing activity)\n", r.year,
                  r.practitionerRpps.c_str(), r.remoteActs);
    }
  }
  return 0;
}

int runExport(const Options& o) {
  const std::string cmd = "export";
  int rc = 0;
  if (o.format.empty()) return fail(cmd, kUsageError, "give --format csv or --format json");
  Result<ex::ExportFormat> format = ex::parseExportFormat(o.format);
  if (!format) return fail(cmd, kUsageError, "--format: " + format.error().message);
  ex::LedgerQuery query;
  if (!yearArg(cmd, o.year, query.year, rc)) return rc;
  if (!o.rpps.empty() && !rppsArg(cmd, "--rpps", o.rpps, rc)) return rc;
  query.practitionerRpps = o.rpps;
  Result<ex::Ledger> ledger = ex::Ledger::open(ledgerPath(o), {.create = false});
  if (!ledger) return fail(cmd, kFailure, ledger.error().message);
  Result<std::string> text = ledger->exportActs(*format, query, o.all);
  if (!text) return fail(cmd, kFailure, text.error().message);
  if (o.out.empty()) {
    std::cout << *text;
    std::cout.flush();
    return std::cout ? 0 : fail(cmd, kFailure, "cannot write to standard output");
  }
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  file << *text;
  file.close();
  if (!file) return fail(cmd, kFailure, "--out '" + o.out + "': cannot write the file");
  return 0;
}

int runActivity(const Options& o) {
  const std::string cmd = "activity";
  int rc = 0;
  if (o.rpps.empty()) return fail(cmd, kUsageError, "give --rpps, the practitioner's 11-digit RPPS");
  if (!rppsArg(cmd, "--rpps", o.rpps, rc)) return rc;
  std::optional<int> year;
  if (o.year.empty()) return fail(cmd, kUsageError, "give --year YYYY");
  if (!yearArg(cmd, o.year, year, rc)) return rc;
  const bool digits =
      !o.total.empty() && o.total.size() <= 9 && o.total.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    return fail(cmd, kUsageError, "--total '" + o.total + "': expected the year's number of acts, 0 or more");
  }
  Result<ex::Ledger> ledger = ex::Ledger::open(ledgerPath(o));
  if (!ledger) return fail(cmd, kFailure, ledger.error().message);
  if (Status s = ledger->setYearlyActivity(o.rpps, *year, std::stoi(o.total)); !s) {
    return fail(cmd, kFailure, s.error().message);
  }
  std::printf("activity %d of %s: %s acts\n", *year, o.rpps.c_str(), o.total.c_str());
  return 0;
}

int runRules(const Options& o) {
  const std::string cmd = "rules";
  int rc = 0;
  std::optional<ex::Date> date;
  if (!o.date.empty()) {
    ex::Date d;
    if (!dateArg(cmd, o.date, d, rc)) return rc;
    date = d;
  }
  ex::BillingConfig config;
  if (!configArg(cmd, o.rules, config, rc)) return rc;
  const auto inForce = [&](const ex::Date& from, const std::optional<ex::Date>& to) {
    return !date || (from <= *date && (!to || *date <= *to));
  };
  json tariffs = json::array();
  for (const ex::TariffRule& t : ex::tariffRules()) {
    if (!inForce(t.validFrom, t.validTo)) continue;
    tariffs.push_back({{"id", std::string(t.id)},
                       {"act", ex::toString(t.act)},
                       {"role", ex::toString(t.role)},
                       {"validFrom", ex::toString(t.validFrom)},
                       {"validTo", dateOrNull(t.validTo)},
                       {"mainlandCents", t.mainlandCents},
                       {"overseasCents", t.overseasCents ? json(*t.overseasCents) : json(nullptr)},
                       {"eligible", professionsJson(t.eligible)},
                       {"exclusive", t.exclusive},
                       {"maxPerYearPerPatient", t.maxPerYearPerPatient}});
  }
  json conditions = json::array();
  for (const ex::ConditionRule& c : ex::conditionRules()) {
    if (!inForce(c.validFrom, c.validTo)) continue;
    conditions.push_back({{"id", std::string(c.id)},
                          {"description", std::string(c.description)},
                          {"confirmed", c.confirmed},
                          {"mode", ex::toString(config.modeFor(c.id))},
                          {"validFrom", ex::toString(c.validFrom)},
                          {"validTo", dateOrNull(c.validTo)},
                          {"limit", c.limit},
                          {"professions", professionsJson(c.professions)}});
  }
  if (o.asJson) {
    json out = {{"date", dateOrNull(date)}, {"tariffs", tariffs}, {"conditions", conditions}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("tariffs%s\n", date ? (" on " + ex::toString(*date)).c_str() : "");
  for (const json& t : tariffs) {
    const std::string overseas =
        t["overseasCents"].is_null() ? std::string("-") : ex::formatEuros(t["overseasCents"].get<std::int64_t>());
    std::printf("  %-14s %s %-9s %s .. %-10s %6s EUR  DROM %6s EUR\n", t["id"].get<std::string>().c_str(),
                t["act"].get<std::string>().c_str(), t["role"].get<std::string>().c_str(),
                t["validFrom"].get<std::string>().c_str(),
                t["validTo"].is_null() ? "in force" : t["validTo"].get<std::string>().c_str(),
                ex::formatEuros(t["mainlandCents"].get<std::int64_t>()).c_str(), overseas.c_str());
  }
  std::printf("conditions (switch unconfirmed ones with --rule ID=off|warn|enforce or $%s)\n", kRulesEnv);
  for (const json& c : conditions) {
    std::printf("  %-15s %-11s %-7s %s\n", c["id"].get<std::string>().c_str(),
                c["confirmed"].get<bool>() ? "confirmed" : "unconfirmed", c["mode"].get<std::string>().c_str(),
                c["description"].get<std::string>().c_str());
  }
  return 0;
}

int dispatch(const Commands& c, const Options& o) {
  struct Entry {
    CLI::App* app;
    const char* name;
    int (*run)(const Options&);
  };
  const Entry entries[] = {{c.price, "price", runPrice},          {c.record, "record", runRecord},
                           {c.ledger, "ledger", runLedger},       {c.exportActs, "export", runExport},
                           {c.activity, "activity", runActivity}, {c.rules, "rules", runRules}};
  for (const Entry& e : entries) {
    if (!e.app->parsed()) continue;
    int rc = 0;
    if (!noExtras(e.app, e.name, rc)) return rc;
    try {
      return e.run(o);
    } catch (const std::runtime_error& error) {  // environment: e.g. no folder for the default ledger
      return fail(e.name, kFailure, error.what());
    }
  }
  const std::vector<std::string> extras = c.billing->remaining();
  if (!extras.empty()) {
    std::fprintf(stderr,
                 "confrere billing: unknown command '%s': valid commands are price, record, ledger, export, "
                 "activity, rules\n",
                 extras.front().c_str());
  } else {
    std::fprintf(stderr, "%s", c.billing->help().c_str());
  }
  return kUsageError;
}

}  // namespace

// [SECTION] Registration ---------------------------------------------------------------------

void addBillingCommands(CLI::App& cli, std::function<int()>& action) {
  auto o = std::make_shared<Options>();
  auto c = std::make_shared<Commands>();
  c->billing = cli.add_subcommand(
      "billing", "Téléexpertise billing (NGAP): tariffs by date, the ledger of acts, the export for the FSE");
  c->billing->allow_extras();

  c->price = c->billing->add_subcommand("price", "Tariff of an act on a date (amounts from the rule table)");
  c->price->add_option("ACT", o->act, "RQD (requester), TE2 (expert), TE1 (historic, 2019-02-10..2022-03-31)");
  c->price->add_option("--date", o->date, "Date of the act, YYYY-MM-DD (default: today); it decides the tariff");
  c->price->add_flag("--overseas", o->overseas, "Overseas (DROM) tariff");
  c->price->add_option("--role", o->role, "requester or expert (TE1 has both; default: the act's own)");
  c->price->add_flag("--json", o->asJson,
                     "Print JSON: {\"act\", \"date\", \"amountEur\", \"billable\", \"amountCents\", \"role\", ...}");

  c->record = c->billing->add_subcommand(
      "record",
      "Evaluate an act and record it in the ledger, billable or not (5th act of the year, combination, "
      "ineligible profession: recorded as not billable, with the reason)");
  c->record->add_option("ACT", o->act, "RQD, TE2 or TE1");
  c->record->add_option("--date", o->date, "Date of the act, YYYY-MM-DD (default: today)");
  c->record->add_option("--rpps", o->rpps, "RPPS (11 digits) of the practitioner who bills (required)");
  c->record->add_option("--profession", o->profession,
                        "doctor (default), midwife, nurse, ipa, physiotherapist, speech-therapist, podiatrist, "
                        "pharmacist, dentist, orthoptist, other (French names accepted)");
  c->record->add_option("--specialty", o->specialty, "Insurer's specialty code, 2 digits (01 = general practice)");
  c->record->add_option("--structure", o->structure, "The practitioner's MSP / structure id (same-MSP rule)");
  c->record->add_option("--patient-ins", o->patientIns, "Patient's INS, 15 characters (NIR + key)");
  c->record->add_option("--patient-id", o->patientId, "Patient's local id when there is no INS ([A-Za-z0-9._-])");
  c->record->add_option("--counterpart-rpps", o->counterpartRpps,
                        "RPPS of the other party: the expert for RQD, the requester for TE2");
  c->record->add_option("--counterpart-structure", o->counterpartStructure, "The other party's MSP / structure id");
  c->record
      ->add_option("--with", o->with, "Another NGAP/CCAM act billed the same day for this patient (repeatable; e.g. G)")
      ->allow_extra_args(false);
  c->record->add_option("--case", o->caseId, "Téléexpertise case id (one act per case and practitioner)");
  c->record->add_option("--role", o->role, "requester or expert (TE1 only; default: the act's own)");
  c->record->add_flag("--overseas", o->overseas, "Overseas (DROM) tariff");
  c->record
      ->add_option("--rule", o->rules,
                   "Switch an unconfirmed rule: same-msp=off|warn|enforce, two-per-year=... (repeatable; "
                   "also $CONFRERE_BILLING_RULES)")
      ->allow_extra_args(false);
  c->record->add_option("--ledger", o->ledger,
                        "Ledger file (default: $CONFRERE_DATA_DIR/ledger.sqlite, else "
                        "$XDG_DATA_HOME/confrere/, else ~/.local/share/confrere/)");
  c->record->add_flag("--json", o->asJson, "Print the recorded act as JSON");

  c->ledger = c->billing->add_subcommand("ledger", "The recorded acts, yearly counters and remote-activity share");
  c->ledger->add_flag("--json", o->asJson, "Print JSON: {ledger, year, acts, counters, remoteActivity}");
  c->ledger->add_option("--year", o->year, "Only this calendar year");
  c->ledger->add_option("--rpps", o->rpps, "Only this practitioner");
  c->ledger->add_option("--ledger", o->ledger, "Ledger file (default: see record --help)");

  c->exportActs = c->billing->add_subcommand(
      "export", "Billable acts, ready for the practice's FSE (columns: see exchange/ledger.h exportColumns)");
  c->exportActs->add_option("--format", o->format, "csv or json (required)");
  c->exportActs->add_option("--year", o->year, "Only this calendar year");
  c->exportActs->add_option("--rpps", o->rpps, "Only this practitioner");
  c->exportActs->add_flag("--all", o->all, "Include the acts recorded as not billable");
  c->exportActs->add_option("--out", o->out, "Write to this file instead of standard output");
  c->exportActs->add_option("--ledger", o->ledger, "Ledger file (default: see record --help)");

  c->activity = c->billing->add_subcommand(
      "activity", "Declare a practitioner's whole activity for a year (denominator of the 20 % remote share)");
  c->activity->add_option("--rpps", o->rpps, "RPPS, 11 digits (required)");
  c->activity->add_option("--year", o->year, "Calendar year (required)");
  c->activity->add_option("--total", o->total, "Acts of the year, in person and remote (required)");
  c->activity->add_option("--ledger", o->ledger, "Ledger file (default: see record --help)");

  c->rules = c->billing->add_subcommand("rules", "The rule table: tariffs with their dates, conditions and modes");
  c->rules->add_option("--date", o->date, "Only the rules in force on this date, YYYY-MM-DD");
  c->rules->add_option("--rule", o->rules, "Show modes as switched: RULE=off|warn|enforce (repeatable)")
      ->allow_extra_args(false);
  c->rules->add_flag("--json", o->asJson, "Print JSON: {date, tariffs, conditions}");

  for (CLI::App* sub : {c->price, c->record, c->ledger, c->exportActs, c->activity, c->rules}) sub->allow_extras();

  c->billing->callback([o, c, &action] { action = [o, c] { return dispatch(*c, *o); }; });
}

}  // namespace confrere::app
