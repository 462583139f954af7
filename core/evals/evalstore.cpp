#include "core/evals/evalstore.h"

#include "core/store/database.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// An empty QString may be a null one, which Qt binds as SQL NULL: NOT NULL text columns get ''.
QString text(const QString &value)
{
    return value.isNull() ? u""_s : value;
}

QVariant nullableText(const QString &value)
{
    return value.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(value);
}

QVariant nullable(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double));
}

std::optional<double> optionalDouble(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toDouble();
}

// The suite as it is run: every field that changes what a score means.
QJsonObject suiteJson(const EvalSuite &suite)
{
    QJsonArray tasks;
    for (const EvalTask &task : suite.tasks)
        tasks << QJsonObject{{u"id"_s, task.id},
                             {u"prompt"_s, task.prompt},
                             {u"reference"_s, task.reference},
                             {u"tests"_s, task.tests},
                             {u"timeout_s"_s, task.timeoutS}};
    QJsonObject object{{u"name"_s, suite.name},
                       {u"version"_s, suite.version},
                       {u"description"_s, suite.description},
                       {u"kind"_s, enumNameString(kEvalKindNames, suite.kind)},
                       {u"tasks"_s, tasks}};
    if (suite.kind == EvalKind::Code)
        object.insert(u"language"_s, suite.language);
    else {
        object.insert(u"judge"_s, QJsonObject{{u"model"_s, suite.judge.model}, {u"temperature"_s, suite.judge.temperature}});
        object.insert(u"rubric"_s, suite.rubric);
    }
    return object;
}

Result<EvalSuite> suiteFromJson(const QByteArray &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    const auto kind = enumFromName(kEvalKindNames, object.value(u"kind"_s).toString());
    if (object.isEmpty() || !kind)
        return makeError(u"evals.stored"_s, u"a stored suite is not readable"_s);
    EvalSuite suite;
    suite.name = object.value(u"name"_s).toString();
    suite.version = object.value(u"version"_s).toInt();
    suite.description = object.value(u"description"_s).toString();
    suite.kind = *kind;
    suite.language = object.value(u"language"_s).toString();
    const QJsonObject judge = object.value(u"judge"_s).toObject();
    suite.judge.model = judge.value(u"model"_s).toString();
    suite.judge.temperature = judge.value(u"temperature"_s).toDouble();
    suite.rubric = object.value(u"rubric"_s).toString();
    for (const QJsonValue &value : object.value(u"tasks"_s).toArray()) {
        const QJsonObject t = value.toObject();
        suite.tasks << EvalTask{t.value(u"id"_s).toString(), t.value(u"prompt"_s).toString(), t.value(u"reference"_s).toString(),
                                t.value(u"tests"_s).toString(), t.value(u"timeout_s"_s).toInt(10)};
    }
    return suite;
}

} // namespace

double passAtK(int n, int c, int k)
{
    if (n <= 0 || k <= 0 || c <= 0)
        return 0.0;
    if (n - c < k)
        return 1.0;
    // C(n-c, k) / C(n, k) as a product, which neither overflows nor loses precision.
    double allWrong = 1.0;
    for (int i = n - c + 1; i <= n; ++i)
        allWrong *= 1.0 - double(k) / double(i);
    return 1.0 - allWrong;
}

Result<void> EvalStore::saveSuite(Database &db, const EvalSuite &suite, qint64 nowMs)
{
    const QByteArray content = QJsonDocument(suiteJson(suite)).toJson(QJsonDocument::Compact);
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    return db.inTransaction([&]() -> Result<void> {
        auto existing = db.exec(u"SELECT content_hash FROM eval_suites WHERE name = ? AND version = ?"_s, {suite.name, suite.version});
        if (!existing)
            return existing.error();
        if (existing->next()) {
            if (existing->value(0).toString() == hash)
                return {};
            return makeError(
                u"evals.suite_version"_s,
                u"suite %1 version %2 is already stored with other tasks: give the edited suite a new version"_s.arg(suite.name)
                    .arg(suite.version));
        }
        auto inserted
            = db.exec(u"INSERT INTO eval_suites (name, version, kind, content, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)"_s,
                      {suite.name, suite.version, enumNameString(kEvalKindNames, suite.kind), QString::fromUtf8(content), hash, nowMs});
        if (!inserted)
            return inserted.error();
        return {};
    });
}

Result<EvalSuite> EvalStore::loadSuite(Database &db, const QString &name, int version)
{
    auto query = db.exec(u"SELECT content FROM eval_suites WHERE name = ? AND version = ?"_s, {name, version});
    if (!query)
        return query.error();
    if (!query->next())
        return makeError(u"evals.not_found"_s, u"no suite %1 version %2 is stored"_s.arg(name).arg(version));
    return suiteFromJson(query->value(0).toString().toUtf8());
}

Result<QList<int>> EvalStore::versions(Database &db, const QString &name)
{
    auto query = db.exec(u"SELECT version FROM eval_suites WHERE name = ? ORDER BY version"_s, {name});
    if (!query)
        return query.error();
    QList<int> versions;
    while (query->next())
        versions << query->value(0).toInt();
    return versions;
}

Result<qint64> EvalStore::createRun(Database &db, const QString &suite, int version, const QStringList &targets, int samples,
                                    qint64 startedAtMs)
{
    const QString targetJson = QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(targets)).toJson(QJsonDocument::Compact));
    auto query = db.exec(u"INSERT INTO eval_runs (suite_name, suite_version, targets, samples, status, started_at) "
                         u"VALUES (?, ?, ?, ?, 'running', ?) RETURNING id"_s,
                         {suite, version, targetJson, samples, startedAtMs});
    if (!query)
        return query.error();
    if (!query->next())
        return makeError(u"evals.stored"_s, u"the new run's id was not returned"_s);
    return query->value(0).toLongLong();
}

Result<void> EvalStore::addResult(Database &db, qint64 runId, const EvalResult &r)
{
    auto query
        = db.exec(u"INSERT INTO eval_results (run_id, task_id, target, sample, host, answer, verdict, score, detail, judge, "
                  u"ttft_ms, tokens_per_s, elapsed_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  u"ON CONFLICT (run_id, task_id, target, sample) DO NOTHING"_s,
                  {runId, r.taskId, r.target, r.sample, nullableText(r.host), text(r.answer), r.verdict, nullable(r.score), text(r.detail),
                   nullableText(r.judge), nullable(r.ttftMs), nullable(r.tokensPerSecond), nullable(r.elapsedMs), r.createdAtMs});
    if (!query)
        return query.error();
    return {};
}

Result<void> EvalStore::finishRun(Database &db, qint64 runId, const QString &status, qint64 finishedAtMs)
{
    auto query = db.exec(u"UPDATE eval_runs SET status = ?, finished_at = ? WHERE id = ?"_s, {status, finishedAtMs, runId});
    if (!query)
        return query.error();
    return {};
}

Result<QList<EvalResult>> EvalStore::results(Database &db, qint64 runId)
{
    auto query = db.exec(u"SELECT task_id, target, sample, host, answer, verdict, score, detail, judge, ttft_ms, tokens_per_s, "
                         u"elapsed_ms, created_at FROM eval_results WHERE run_id = ? ORDER BY target, task_id, sample"_s,
                         {runId});
    if (!query)
        return query.error();
    QList<EvalResult> results;
    while (query->next()) {
        EvalResult r;
        r.taskId = query->value(0).toString();
        r.target = query->value(1).toString();
        r.sample = query->value(2).toInt();
        r.host = query->value(3).toString();
        r.answer = query->value(4).toString();
        r.verdict = query->value(5).toString();
        r.score = optionalDouble(query->value(6));
        r.detail = query->value(7).toString();
        r.judge = query->value(8).toString();
        r.ttftMs = optionalDouble(query->value(9));
        r.tokensPerSecond = optionalDouble(query->value(10));
        r.elapsedMs = optionalDouble(query->value(11));
        r.createdAtMs = query->value(12).toLongLong();
        results << r;
    }
    return results;
}

Result<QList<EvalTargetScore>> EvalStore::scores(Database &db, qint64 runId)
{
    auto run = db.exec(u"SELECT targets, samples FROM eval_runs WHERE id = ?"_s, {runId});
    if (!run)
        return run.error();
    if (!run->next())
        return makeError(u"evals.not_found"_s, u"no eval run %1"_s.arg(runId));
    const QJsonArray targets = QJsonDocument::fromJson(run->value(0).toString().toUtf8()).array();
    const int k = qMax(1, run->value(1).toInt());
    const auto all = results(db, runId);
    if (!all)
        return all.error();
    // target -> task -> (answers, passed)
    QMap<QString, QMap<QString, QPair<int, int>>> counts;
    for (const EvalResult &r : *all) {
        auto &count = counts[r.target][r.taskId];
        ++count.first;
        if (r.verdict == u"passed")
            ++count.second;
    }
    QList<EvalTargetScore> scores;
    for (const QJsonValue &value : targets) {
        EvalTargetScore score;
        score.target = value.toString();
        score.k = k;
        const auto tasks = counts.value(score.target);
        for (const auto &[n, c] : tasks) {
            ++score.tasks;
            score.answers += n;
            score.passed += c;
            score.passAt1 += passAtK(n, c, 1);
            score.passAtK += passAtK(n, c, qMin(k, n));
        }
        if (score.tasks > 0) {
            score.passAt1 /= score.tasks;
            score.passAtK /= score.tasks;
        }
        scores << score;
    }
    return scores;
}

} // namespace boo
