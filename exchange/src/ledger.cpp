// The billing ledger on SQLite.
//
// [SECTION] Default path
// [SECTION] SQLite helpers (statement RAII, errors, transaction guard)
// [SECTION] Schema
// [SECTION] Open
// [SECTION] Counters and record
// [SECTION] Reads
// [SECTION] Export
#include "confrere/exchange/ledger.h"

#include <sqlite3.h>

#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "confrere/exchange/identifiers.h"

namespace confrere::exchange {

// [SECTION] Default path --------------------------------------------------------

std::filesystem::path defaultLedgerPath() {
  const auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v != nullptr ? std::string(v) : std::string();
  };
  constexpr const char* kFile = "ledger.sqlite";
  if (const std::string dir = env("CONFRERE_DATA_DIR"); !dir.empty()) return std::filesystem::path(dir) / kFile;
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (const std::string xdg = env("XDG_DATA_HOME"); !xdg.empty() && std::filesystem::path(xdg).is_absolute()) {
    return std::filesystem::path(xdg) / "confrere" / kFile;
  }
  if (const std::string home = env("HOME"); !home.empty()) {
    return std::filesystem::path(home) / ".local" / "share" / "confrere" / kFile;
  }
  throw std::runtime_error("no folder for the billing ledger: set CONFRERE_DATA_DIR, XDG_DATA_HOME or HOME");
}

Result<ExportFormat> parseExportFormat(std::string_view text) {
  if (text == "csv") return ExportFormat::Csv;
  if (text == "json") return ExportFormat::Json;
  return makeError(ErrorCode::InvalidArgument,
                   "export format '" + std::string(text) + "': valid formats are csv, json");
}

std::optional<double> RemoteActivity::remotePercent() const {
  if (totalActivity <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(remoteActs) / static_cast<double>(totalActivity);
}

std::vector<std::string> exportColumns() {
  return {
      "act_id",       "act_date",       "act_code",         "role",        "practitioner_rpps", "practitioner_idnat",
      "profession",   "specialty_code", "counterpart_rpps", "patient_ins", "patient_key",       "overseas",
      "amount_cents", "amount_eur",     "billable",         "case_id",     "warnings"};
}

namespace {

// [SECTION] SQLite helpers ------------------------------------------------------

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return m_rc == SQLITE_OK; }
  void bind(int index, const std::string& text) {
    sqlite3_bind_text(m_stmt, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
  void bindNull(int index) { sqlite3_bind_null(m_stmt, index); }
  void bindOptional(int index, const std::optional<int>& value) {
    if (value) {
      bind(index, static_cast<std::int64_t>(*value));
    } else {
      bindNull(index);
    }
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(m_stmt); }

  std::string text(int col) const {
    const unsigned char* t = sqlite3_column_text(m_stmt, col);
    return t != nullptr ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
  bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* m_stmt = nullptr;
  int m_rc;
};

std::string utcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::string findingsToJson(const std::vector<Finding>& findings) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Finding& f : findings) {
    arr.push_back({{"rule", f.rule}, {"severity", toString(f.severity)}, {"message", f.message}});
  }
  return arr.dump();
}

std::vector<Finding> findingsFromJson(const std::string& text) {
  std::vector<Finding> out;
  const nlohmann::json arr = nlohmann::json::parse(text, nullptr, false);
  if (!arr.is_array()) return out;
  for (const nlohmann::json& f : arr) {
    if (!f.is_object()) continue;
    const std::string severity = f.value("severity", "warning");
    out.push_back({f.value("rule", ""),
                   severity == "blocking" ? Severity::Blocking
                   : severity == "info"   ? Severity::Info
                                          : Severity::Warning,
                   f.value("message", "")});
  }
  return out;
}

// [SECTION] Schema ---------------------------------------------------------------

constexpr int kSchemaVersion = 1;
// "CfLd": tells our ledgers from other SQLite files.
constexpr int kApplicationId = 0x43664c64;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS acts(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  act_date TEXT NOT NULL,
  year INTEGER NOT NULL,
  act TEXT NOT NULL,
  role TEXT NOT NULL,
  patient_key TEXT NOT NULL,
  practitioner_rpps TEXT NOT NULL,
  profession TEXT NOT NULL,
  specialty_code TEXT NOT NULL DEFAULT '',
  structure_id TEXT NOT NULL DEFAULT '',
  counterpart_rpps TEXT NOT NULL DEFAULT '',
  overseas INTEGER NOT NULL,
  tariff_cents INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL,
  billable INTEGER NOT NULL,
  counts_remote INTEGER NOT NULL,
  findings TEXT NOT NULL,
  case_id TEXT,
  recorded_at TEXT NOT NULL,
  UNIQUE(case_id, practitioner_rpps, act, role)
);
CREATE INDEX IF NOT EXISTS acts_by_patient ON acts(practitioner_rpps, patient_key, year);
CREATE INDEX IF NOT EXISTS acts_by_day ON acts(practitioner_rpps, patient_key, act_date);
CREATE TABLE IF NOT EXISTS yearly_counters(
  year INTEGER NOT NULL,
  practitioner_rpps TEXT NOT NULL,
  patient_key TEXT NOT NULL,
  role TEXT NOT NULL,
  acts INTEGER NOT NULL,
  billable_acts INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL,
  PRIMARY KEY(year, practitioner_rpps, patient_key, role)
);
CREATE TABLE IF NOT EXISTS yearly_activity(
  year INTEGER NOT NULL,
  practitioner_rpps TEXT NOT NULL,
  total_acts INTEGER NOT NULL,
  PRIMARY KEY(year, practitioner_rpps)
);
)sql";

constexpr const char* kActColumns =
    "id, act_date, act, role, patient_key, practitioner_rpps, profession, specialty_code, structure_id, "
    "counterpart_rpps, overseas, tariff_cents, amount_cents, billable, counts_remote, findings, case_id, recorded_at";

}  // namespace

// [SECTION] Open -------------------------------------------------------------------

struct Ledger::Impl {
  sqlite3* db = nullptr;
  std::filesystem::path path;
  ~Impl() { sqlite3_close_v2(db); }

  Error dbError(const std::string& what) const {
    return makeError(ErrorCode::Io, "ledger '" + path.string() + "': " + what + ": " +
                                        (db != nullptr ? sqlite3_errmsg(db) : "cannot open"));
  }
  Status exec(const char* sql, const char* what) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message != nullptr ? message : sqlite3_errmsg(db);
      sqlite3_free(message);
      return makeError(ErrorCode::Io, "ledger '" + path.string() + "': " + what + ": " + text);
    }
    return okStatus();
  }
  Result<std::int64_t> scalar(const char* sql) {
    Statement st(db, sql);
    if (!st.prepared()) return dbError(sql);
    const int rc = st.step();
    if (rc != SQLITE_ROW) return dbError(sql);
    return st.integer(0);
  }
};

namespace {

// Rolls back unless committed: every early return leaves the ledger as it was.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : m_db(db) {}
  ~Transaction() {
    if (m_open) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  int begin() {
    const int rc = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    m_open = rc == SQLITE_OK;
    return rc;
  }
  int commit() {
    const int rc = sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) m_open = false;
    return rc;
  }

 private:
  sqlite3* m_db;
  bool m_open = false;
};

}  // namespace

Ledger::Ledger(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

const std::filesystem::path& Ledger::path() const {
  return m_impl->path;
}

Result<Ledger> Ledger::open(const std::filesystem::path& path, OpenOptions options) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && !options.create) {
    return makeError(ErrorCode::NotFound, "no ledger at '" + path.string() +
                                              "': record an act first (confrere billing record) or give --ledger FILE");
  }
  if (!exists && path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return makeError(ErrorCode::Io, "ledger '" + path.string() + "': cannot create folder '" +
                                          path.parent_path().string() + "': " + ec.message());
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &impl->db, flags, nullptr) != SQLITE_OK) {
    return impl->dbError("cannot open");
  }
  sqlite3_busy_timeout(impl->db, 5000);
  sqlite3_extended_result_codes(impl->db, 1);

  Result<std::int64_t> appId = impl->scalar("PRAGMA application_id");
  if (!appId) {
    return makeError(ErrorCode::Corrupt, "'" + path.string() + "' is not a billing ledger (not an SQLite database)");
  }
  Result<std::int64_t> version = impl->scalar("PRAGMA user_version");
  if (!version) return version.error();
  if (*version == 0) {
    Result<std::int64_t> tables = impl->scalar("SELECT COUNT(*) FROM sqlite_master");
    if (!tables) return tables.error();
    if (*tables != 0 && *appId != kApplicationId) {
      return makeError(ErrorCode::Corrupt, "'" + path.string() + "' is an SQLite database but not a billing ledger");
    }
  } else if (*appId != kApplicationId) {
    return makeError(ErrorCode::Corrupt, "'" + path.string() + "' is an SQLite database but not a billing ledger");
  } else if (*version > kSchemaVersion) {
    return makeError(ErrorCode::Corrupt, "ledger '" + path.string() + "' has schema version " +
                                             std::to_string(*version) + ", newer than this program's (" +
                                             std::to_string(kSchemaVersion) + "): update confrere");
  }
  // WAL: readers do not block the writer; a crash never leaves half an act.
  Result<std::int64_t> walProbe = impl->scalar("PRAGMA journal_mode=WAL");
  if (!walProbe) return walProbe.error();
  if (Status s = impl->exec("PRAGMA synchronous=FULL", "setting synchronous"); !s) return s.error();
  if (*version == 0) {
    Transaction tx(impl->db);
    if (tx.begin() != SQLITE_OK) return impl->dbError("creating the schema");
    if (Status s = impl->exec(kSchema, "creating the schema"); !s) return s.error();
    const std::string pragmas = "PRAGMA application_id=" + std::to_string(kApplicationId) +
                                "; PRAGMA user_version=" + std::to_string(kSchemaVersion) + ";";
    if (Status s = impl->exec(pragmas.c_str(), "creating the schema"); !s) return s.error();
    if (tx.commit() != SQLITE_OK) return impl->dbError("creating the schema");
  }
  return Ledger(std::move(impl));
}

// [SECTION] Counters and record ---------------------------------------------------------

Result<LedgerCounters> Ledger::countersFor(const ActRequest& request, std::vector<std::string>* actsSameDay) const {
  Impl& d = *m_impl;
  const Role role = request.role.value_or(defaultRole(request.act));
  const std::int64_t year = request.date.year;
  LedgerCounters c;
  {
    Statement st(d.db,
                 "SELECT billable_acts FROM yearly_counters WHERE year=?1 AND practitioner_rpps=?2 AND "
                 "patient_key=?3 AND role=?4");
    if (!st.prepared()) return d.dbError("reading counters");
    st.bind(1, year);
    st.bind(2, request.practitioner.rpps);
    st.bind(3, request.patientKey);
    st.bind(4, std::string(toString(role)));
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
      c.billableActsThisYear = static_cast<int>(st.integer(0));
    } else if (rc != SQLITE_DONE) {
      return d.dbError("reading counters");
    }
  }
  {
    Statement st(d.db, "SELECT COUNT(*) FROM acts WHERE practitioner_rpps=?1 AND year=?2 AND counts_remote=1");
    if (!st.prepared()) return d.dbError("reading the remote-activity counter");
    st.bind(1, request.practitioner.rpps);
    st.bind(2, year);
    if (st.step() != SQLITE_ROW) return d.dbError("reading the remote-activity counter");
    c.remoteActsThisYear = static_cast<int>(st.integer(0));
  }
  {
    Statement st(d.db, "SELECT total_acts FROM yearly_activity WHERE practitioner_rpps=?1 AND year=?2");
    if (!st.prepared()) return d.dbError("reading the yearly activity");
    st.bind(1, request.practitioner.rpps);
    st.bind(2, year);
    const int rc = st.step();
    if (rc == SQLITE_ROW) {
      c.totalActivityThisYear = static_cast<int>(st.integer(0));
    } else if (rc != SQLITE_DONE) {
      return d.dbError("reading the yearly activity");
    }
  }
  if (actsSameDay != nullptr) {
    Statement st(d.db,
                 "SELECT act FROM acts WHERE practitioner_rpps=?1 AND patient_key=?2 AND act_date=?3 AND billable=1 "
                 "ORDER BY id");
    if (!st.prepared()) return d.dbError("reading the acts of the day");
    st.bind(1, request.practitioner.rpps);
    st.bind(2, request.patientKey);
    st.bind(3, toString(request.date));
    int rc = SQLITE_ROW;
    while ((rc = st.step()) == SQLITE_ROW) actsSameDay->push_back(st.text(0));
    if (rc != SQLITE_DONE) return d.dbError("reading the acts of the day");
  }
  return c;
}

Result<LedgerEntry> Ledger::record(const ActRequest& request, const std::string& caseId, const BillingConfig& config) {
  Impl& d = *m_impl;
  // IMMEDIATE: the counters read below cannot change before our write.
  Transaction tx(d.db);
  if (tx.begin() != SQLITE_OK) return d.dbError("starting a transaction");

  std::vector<std::string> sameDay;
  Result<LedgerCounters> counters = countersFor(request, &sameDay);
  if (!counters) return counters.error();
  ActRequest withDay = request;
  withDay.otherActsSameDay.insert(withDay.otherActsSameDay.end(), sameDay.begin(), sameDay.end());
  Result<Evaluation> evaluation = evaluate(withDay, *counters, config);
  if (!evaluation) return evaluation.error();
  const Evaluation& e = *evaluation;

  LedgerEntry entry;
  entry.date = request.date;
  entry.act = request.act;
  entry.role = e.role;
  entry.patientKey = request.patientKey;
  entry.practitionerRpps = request.practitioner.rpps;
  entry.profession = request.practitioner.profession;
  entry.specialtyCode = request.practitioner.specialtyCode;
  entry.structureId = request.practitioner.structureId;
  entry.counterpartRpps = request.counterpart ? request.counterpart->rpps : std::string();
  entry.overseas = request.overseas;
  entry.tariffCents = e.tariffCents;
  entry.amountCents = e.amountCents;
  entry.billable = e.billable;
  entry.countsAsRemote = e.countsAsRemote;
  entry.findings = e.findings;
  entry.caseId = caseId;
  entry.recordedAt = utcNow();
  const std::string role = toString(e.role);

  {
    Statement st(d.db,
                 "INSERT INTO yearly_counters(year, practitioner_rpps, patient_key, role, acts, billable_acts, "
                 "amount_cents) VALUES(?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT(year, practitioner_rpps, patient_key, "
                 "role) DO UPDATE SET acts=acts+1, billable_acts=billable_acts+excluded.billable_acts, "
                 "amount_cents=amount_cents+excluded.amount_cents");
    if (!st.prepared()) return d.dbError("updating counters");
    st.bind(1, static_cast<std::int64_t>(entry.date.year));
    st.bind(2, entry.practitionerRpps);
    st.bind(3, entry.patientKey);
    st.bind(4, role);
    st.bind(5, static_cast<std::int64_t>(entry.billable ? 1 : 0));
    st.bind(6, entry.amountCents);
    if (st.step() != SQLITE_DONE) return d.dbError("updating counters");
  }
  {
    Statement st(d.db,
                 "INSERT INTO acts(act_date, year, act, role, patient_key, practitioner_rpps, profession, "
                 "specialty_code, structure_id, counterpart_rpps, overseas, tariff_cents, amount_cents, billable, "
                 "counts_remote, findings, case_id, recorded_at) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
    if (!st.prepared()) return d.dbError("recording the act");
    st.bind(1, toString(entry.date));
    st.bind(2, static_cast<std::int64_t>(entry.date.year));
    st.bind(3, std::string(toString(entry.act)));
    st.bind(4, role);
    st.bind(5, entry.patientKey);
    st.bind(6, entry.practitionerRpps);
    st.bind(7, std::string(toString(entry.profession)));
    st.bind(8, entry.specialtyCode);
    st.bind(9, entry.structureId);
    st.bind(10, entry.counterpartRpps);
    st.bind(11, static_cast<std::int64_t>(entry.overseas ? 1 : 0));
    st.bind(12, entry.tariffCents);
    st.bind(13, entry.amountCents);
    st.bind(14, static_cast<std::int64_t>(entry.billable ? 1 : 0));
    st.bind(15, static_cast<std::int64_t>(entry.countsAsRemote ? 1 : 0));
    st.bind(16, findingsToJson(entry.findings));
    if (caseId.empty()) {
      st.bindNull(17);
    } else {
      st.bind(17, caseId);
    }
    st.bind(18, entry.recordedAt);
    const int rc = st.step();
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      return makeError(ErrorCode::InvalidArgument, "case '" + caseId + "': " + toString(entry.act) + " (" + role +
                                                       ") is already recorded for RPPS " + entry.practitionerRpps +
                                                       " (one act per case and practitioner)");
    }
    if (rc != SQLITE_DONE) return d.dbError("recording the act");
  }
  entry.id = sqlite3_last_insert_rowid(d.db);
  if (tx.commit() != SQLITE_OK) return d.dbError("committing the act");
  return entry;
}

Status Ledger::setYearlyActivity(const std::string& practitionerRpps, int year, int totalActs) {
  if (Status s = checkRpps(practitionerRpps); !s) return s;
  if (year < 1900 || year > 9999) {
    return makeError(ErrorCode::InvalidArgument, "year " + std::to_string(year) + ": expected 1900..9999");
  }
  if (totalActs < 0) {
    return makeError(ErrorCode::InvalidArgument,
                     "yearly activity " + std::to_string(totalActs) + ": expected a count of acts, 0 or more");
  }
  Impl& d = *m_impl;
  Statement st(d.db,
               "INSERT INTO yearly_activity(year, practitioner_rpps, total_acts) VALUES(?1, ?2, ?3) "
               "ON CONFLICT(year, practitioner_rpps) DO UPDATE SET total_acts=excluded.total_acts");
  if (!st.prepared()) return d.dbError("setting the yearly activity");
  st.bind(1, static_cast<std::int64_t>(year));
  st.bind(2, practitionerRpps);
  st.bind(3, static_cast<std::int64_t>(totalActs));
  if (st.step() != SQLITE_DONE) return d.dbError("setting the yearly activity");
  return okStatus();
}

// [SECTION] Reads ----------------------------------------------------------------------

Result<std::vector<LedgerEntry>> Ledger::acts(const LedgerQuery& query) const {
  Impl& d = *m_impl;
  const std::string sql = std::string("SELECT ") + kActColumns +
                          " FROM acts WHERE (?1 IS NULL OR year=?1) AND (?2='' OR practitioner_rpps=?2) ORDER BY id";
  Statement st(d.db, sql.c_str());
  if (!st.prepared()) return d.dbError("reading acts");
  st.bindOptional(1, query.year);
  st.bind(2, query.practitionerRpps);
  std::vector<LedgerEntry> out;
  int rc = SQLITE_ROW;
  while ((rc = st.step()) == SQLITE_ROW) {
    LedgerEntry e;
    e.id = st.integer(0);
    Result<Date> date = parseDate(st.text(1));
    Result<Act> act = parseAct(st.text(2));
    Result<Role> role = parseRole(st.text(3));
    Result<Profession> profession = parseProfession(st.text(6));
    if (!date || !act || !role || !profession) {
      return makeError(ErrorCode::Corrupt, "ledger '" + d.path.string() + "': act " + std::to_string(e.id) +
                                               " has an unreadable date, act, role or profession");
    }
    e.date = *date;
    e.act = *act;
    e.role = *role;
    e.patientKey = st.text(4);
    e.practitionerRpps = st.text(5);
    e.profession = *profession;
    e.specialtyCode = st.text(7);
    e.structureId = st.text(8);
    e.counterpartRpps = st.text(9);
    e.overseas = st.integer(10) != 0;
    e.tariffCents = st.integer(11);
    e.amountCents = st.integer(12);
    e.billable = st.integer(13) != 0;
    e.countsAsRemote = st.integer(14) != 0;
    e.findings = findingsFromJson(st.text(15));
    e.caseId = st.isNull(16) ? std::string() : st.text(16);
    e.recordedAt = st.text(17);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return d.dbError("reading acts");
  return out;
}

Result<std::vector<YearlyCounter>> Ledger::counters(const LedgerQuery& query) const {
  Impl& d = *m_impl;
  Statement st(d.db,
               "SELECT year, practitioner_rpps, patient_key, role, acts, billable_acts, amount_cents FROM "
               "yearly_counters WHERE (?1 IS NULL OR year=?1) AND (?2='' OR practitioner_rpps=?2) "
               "ORDER BY year, practitioner_rpps, patient_key, role");
  if (!st.prepared()) return d.dbError("reading counters");
  st.bindOptional(1, query.year);
  st.bind(2, query.practitionerRpps);
  std::vector<YearlyCounter> out;
  int rc = SQLITE_ROW;
  while ((rc = st.step()) == SQLITE_ROW) {
    Result<Role> role = parseRole(st.text(3));
    if (!role) return makeError(ErrorCode::Corrupt, "ledger '" + d.path.string() + "': unreadable counter role");
    out.push_back({static_cast<int>(st.integer(0)), st.text(1), st.text(2), *role, static_cast<int>(st.integer(4)),
                   static_cast<int>(st.integer(5)), st.integer(6)});
  }
  if (rc != SQLITE_DONE) return d.dbError("reading counters");
  return out;
}

Result<std::vector<RemoteActivity>> Ledger::remoteActivity(const LedgerQuery& query) const {
  Impl& d = *m_impl;
  // Every (year, practitioner) with acts or a declared activity.
  Statement st(d.db,
               "SELECT year, rpps, SUM(remote), SUM(total) FROM ("
               "  SELECT year, practitioner_rpps AS rpps, counts_remote AS remote, 0 AS total FROM acts"
               "  UNION ALL SELECT year, practitioner_rpps, 0, total_acts FROM yearly_activity)"
               " WHERE (?1 IS NULL OR year=?1) AND (?2='' OR rpps=?2) GROUP BY year, rpps ORDER BY year, rpps");
  if (!st.prepared()) return d.dbError("reading the remote-activity counter");
  st.bindOptional(1, query.year);
  st.bind(2, query.practitionerRpps);
  std::vector<RemoteActivity> out;
  int rc = SQLITE_ROW;
  while ((rc = st.step()) == SQLITE_ROW) {
    out.push_back({static_cast<int>(st.integer(0)), st.text(1), static_cast<int>(st.integer(2)),
                   static_cast<int>(st.integer(3))});
  }
  if (rc != SQLITE_DONE) return d.dbError("reading the remote-activity counter");
  return out;
}

// [SECTION] Export ------------------------------------------------------------------------

namespace {

std::string csvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::vector<std::string> warningTexts(const LedgerEntry& e) {
  std::vector<std::string> out;
  for (const Finding& f : e.findings) {
    if (f.severity != Severity::Info) out.push_back(f.rule + ": " + f.message);
  }
  return out;
}

}  // namespace

Result<std::string> Ledger::exportActs(ExportFormat format, const LedgerQuery& query, bool includeNonBillable) const {
  Result<std::vector<LedgerEntry>> all = acts(query);
  if (!all) return all.error();
  std::vector<const LedgerEntry*> rows;
  for (const LedgerEntry& e : *all) {
    if (e.billable || includeNonBillable) rows.push_back(&e);
  }
  const std::vector<std::string> columns = exportColumns();

  if (format == ExportFormat::Csv) {
    std::string out;
    for (std::size_t i = 0; i < columns.size(); ++i) out += (i == 0 ? "" : ",") + columns[i];
    out += "\r\n";
    for (const LedgerEntry* e : rows) {
      std::string warnings;
      for (const std::string& w : warningTexts(*e)) warnings += (warnings.empty() ? "" : " | ") + w;
      const std::vector<std::string> fields{std::to_string(e->id),
                                            toString(e->date),
                                            toString(e->act),
                                            toString(e->role),
                                            e->practitionerRpps,
                                            idNatPs(e->practitionerRpps),
                                            toString(e->profession),
                                            e->specialtyCode,
                                            e->counterpartRpps,
                                            insOfPatientKey(e->patientKey),
                                            e->patientKey,
                                            e->overseas ? "1" : "0",
                                            std::to_string(e->amountCents),
                                            formatEuros(e->amountCents),
                                            e->billable ? "1" : "0",
                                            e->caseId,
                                            warnings};
      for (std::size_t i = 0; i < fields.size(); ++i) out += (i == 0 ? "" : ",") + csvField(fields[i]);
      out += "\r\n";
    }
    return out;
  }

  // Ordered: the keys of each act follow exportColumns().
  nlohmann::ordered_json doc;
  doc["format"] = "confrere-fse";
  doc["version"] = 1;
  doc["year"] = query.year ? nlohmann::ordered_json(*query.year) : nlohmann::ordered_json(nullptr);
  doc["columns"] = columns;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const LedgerEntry* e : rows) {
    list.push_back({{"act_id", e->id},
                    {"act_date", toString(e->date)},
                    {"act_code", toString(e->act)},
                    {"role", toString(e->role)},
                    {"practitioner_rpps", e->practitionerRpps},
                    {"practitioner_idnat", idNatPs(e->practitionerRpps)},
                    {"profession", toString(e->profession)},
                    {"specialty_code", e->specialtyCode},
                    {"counterpart_rpps", e->counterpartRpps},
                    {"patient_ins", insOfPatientKey(e->patientKey)},
                    {"patient_key", e->patientKey},
                    {"overseas", e->overseas},
                    {"amount_cents", e->amountCents},
                    {"amount_eur", static_cast<double>(e->amountCents) / 100.0},
                    {"billable", e->billable},
                    {"case_id", e->caseId},
                    {"warnings", warningTexts(*e)}});
  }
  doc["acts"] = std::move(list);
  return doc.dump(2) + "\n";
}

}  // namespace confrere::exchange
