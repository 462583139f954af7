// /api/hosts/{id}/config… of a ControlServer as a script or an attached cockpit uses it: a real
// sshd on loopback (tests/remote/testsshd.h), the llama-swap stand-in that reloads its YAML file
// (tests/remote/llamaswapsim.cpp), the provider registry, FleetState, leases and the AccessGate
// over a real SQLite database.

#include "core/actions/accessgate.h"
#include "core/actions/leasebook.h"
#include "core/alerts/alertmonitor.h"
#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/remote/configjobs.h"
#include "core/remote/hostkeytrust.h"
#include "core/server/configapi.h"
#include "core/server/configrollbackalerts.h"
#include "core/server/controlfeed.h"
#include "core/server/controlserver.h"
#include "core/store/database.h"
#include "core/store/migrations.h"
#include "tests/common/testdatabases.h"
#include "tests/sim/simtestsupport.h"
#include "testsshd.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace boo;
using boo::test::TestDatabase;

namespace {

const QString kToken = u"config-api-token"_s;
const QByteArray kBefore = "# two models\nmodels:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                           "  b:\n    cmd: llama-server --port ${PORT} -m b.gguf\n";
const QByteArray kGood = "# three models\nmodels:\n  a:\n    cmd: llama-server --port ${PORT} -m a.gguf\n"
                         "  b:\n    cmd: llama-server --port ${PORT} -m b.gguf\n"
                         "  c:\n    cmd: llama-server --port ${PORT} -m c.gguf\n";
// llama-swap refuses it: a model whose cmd has no ${PORT} must set proxy.
const QByteArray kBroken = "models:\n  a:\n    cmd: llama-server -m a.gguf\n";

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

QString sha256(const QByteArray &content)
{
    return RemoteConfigFile::sha256(content);
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestConfigApi : public QObject
{
    Q_OBJECT

    TestSshd m_sshd;
    QProcess m_standin;
    QString m_config;
    std::unique_ptr<TestDatabase> m_tdb;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<FleetState> m_fleet;
    std::unique_ptr<LeaseBook> m_leases;
    std::unique_ptr<AccessGate> m_gate;
    std::unique_ptr<ProviderRegistry> m_registry;
    std::unique_ptr<ConfigJobs> m_jobs;
    std::unique_ptr<ControlServer> m_server;
    QNetworkAccessManager m_nam;

    struct Answer
    {
        int status = 0;
        QJsonObject body;
        QByteArray raw;

        QString errorCode() const { return body.value(u"error"_s).toObject().value(u"code"_s).toString(); }
    };

    // ssh logins take seconds on a busy machine: the wait is generous.
    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {}, const QByteArray &type = "application/json",
                bool withToken = true)
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, type);
        if (withToken)
            request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        const simtest::Reply r = simtest::wait(m_nam.sendCustomRequest(request, method, body), 90000);
        return {r.status, QJsonDocument::fromJson(r.body).object(), r.body};
    }

    // Polls the job until it ends.
    QJsonObject finishedJob(const QString &id)
    {
        QJsonObject job;
        for (int i = 0; i < 600; ++i) {
            const Answer a = call("GET", u"/api/hosts/gpu1/config/jobs/%1"_s.arg(id));
            if (a.status != 200)
                return a.body;
            job = a.body;
            if (job.value(u"state"_s).toString() == u"finished"_s)
                return job;
            QTest::qWait(200);
        }
        return job;
    }

    QString currentSha() { return call("GET", u"/api/hosts/gpu1/config"_s).body.value(u"sha256"_s).toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString problem = m_sshd.start();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const SshSettings ssh = m_sshd.settings();
        const QString untrusted = m_sshd.trustHostKey(ssh.knownHostsFile);
        QVERIFY2(untrusted.isEmpty(), qPrintable(untrusted));

        QDir().mkpath(m_sshd.path(u"host"_s));
        m_config = m_sshd.path(u"host/config.yaml"_s);
        QVERIFY(writeFile(m_config, kBefore));
        m_standin.start(QStringLiteral(BOO_LLAMA_SWAP_SIM), {u"--config"_s, m_config});
        QByteArray out;
        while (!out.contains('\n') && m_standin.waitForReadyRead(10000))
            out += m_standin.readAllStandardOutput();
        QVERIFY2(out.startsWith("listening "), out.constData());
        const QUrl hostUrl(u"http://127.0.0.1:%1"_s.arg(out.mid(10).trimmed().toInt()));

        m_tdb = TestDatabase::create(SqlDialect::Sqlite);
        auto db = Database::open(m_tdb->url(), u"test"_s);
        QVERIFY(db);
        QVERIFY(Migrations::migrate(**db));
        m_db = std::move(db).value();

        ProviderConfig gpu1;
        gpu1.id = u"gpu1"_s;
        gpu1.baseUrl = hostUrl;
        gpu1.ssh = ProviderSsh{ssh.target.toString(), ssh.identityFile, m_config, u"watch"_s, u"llama-swap"_s, 3, 5};
        ProviderConfig plain;
        plain.id = u"plain"_s;
        plain.baseUrl = QUrl(u"http://127.0.0.1:9"_s);
        m_registry = std::make_unique<ProviderRegistry>(QString());
        m_registry->replaceProviders({gpu1, plain});

        // The hosts as the ingest would report them: watched and quiet.
        m_fleet = std::make_unique<FleetState>();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const ProviderConfig &p : {gpu1, plain}) {
            m_fleet->addHost(p.id, p.id, p.baseUrl.toString());
            m_fleet->setLiveness(p.id, Liveness::Connected, now);
        }
        m_leases = std::make_unique<LeaseBook>(m_db.get());
        m_gate = std::make_unique<AccessGate>(m_fleet.get(), m_leases.get(), m_db.get());
        m_jobs = std::make_unique<ConfigJobs>(m_db.get(), m_gate.get(), m_leases.get(),
                                              ConfigJobs::registryLookup(m_registry.get(), nullptr, ssh.knownHostsFile));
        ControlServerOptions options;
        options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), 0};
        options.token = kToken;
        m_server = std::make_unique<ControlServer>(m_fleet.get(), nullptr, nullptr, m_db.get(), options);
        ConfigApi::install(m_server.get(), m_jobs.get());
        QVERIFY(m_server->start().ok());
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_jobs.reset();
        m_standin.kill();
        m_standin.waitForFinished(5000);
    }

    void authIsRequired()
    {
        const Answer refused = call("GET", u"/api/hosts/gpu1/config"_s, {}, "application/json", false);
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.errorCode(), u"unauthorized"_s);
        QCOMPARE(call("POST", u"/api/hosts/gpu1/config/apply"_s, json({{u"text"_s, QString::fromUtf8(kGood)}}), "application/json", false)
                     .status,
                 401);
        QCOMPARE(readFile(m_config), kBefore);
    }

    void unknownAndUnreachableHosts()
    {
        const Answer unknown = call("GET", u"/api/hosts/nowhere/config"_s);
        QCOMPARE(unknown.status, 404);
        QVERIFY(unknown.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"nowhere"_s));
        QCOMPARE(call("POST", u"/api/hosts/nowhere/config/validate"_s, kGood, "application/yaml").status, 404);
        QCOMPARE(call("GET", u"/api/hosts/nowhere/config/backups"_s).status, 404);
        QCOMPARE(call("POST", u"/api/hosts/nowhere/config/apply"_s,
                      json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, sha256(kBefore)}}))
                     .status,
                 404);
        // A host without "ssh" settings: a conflict with how it is set up, said so.
        const Answer noSsh = call("GET", u"/api/hosts/plain/config"_s);
        QCOMPARE(noSsh.status, 409);
        QCOMPARE(noSsh.errorCode(), u"no_ssh"_s);
        QVERIFY(noSsh.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"ssh"_s));
        QCOMPARE(call("POST", u"/api/hosts/plain/config/diff"_s, kGood, "application/yaml").status, 409);
        // ... but its text can still be checked offline.
        QCOMPARE(call("POST", u"/api/hosts/plain/config/validate"_s, kGood, "application/yaml").status, 200);
        QCOMPARE(call("GET", u"/api/hosts/gpu1/config/jobs/config-999"_s).status, 404);
    }

    void readsTheHostsFile()
    {
        const Answer read = call("GET", u"/api/hosts/gpu1/config"_s);
        QCOMPARE(read.status, 200);
        QCOMPARE(read.body.value(u"text"_s).toString().toUtf8(), kBefore);
        QCOMPARE(read.body.value(u"sha256"_s).toString(), sha256(kBefore));
        QCOMPARE(read.body.value(u"path"_s).toString(), m_config);
        QCOMPARE(read.body.value(u"host"_s).toString(), u"gpu1"_s);
    }

    void validates()
    {
        const Answer good = call("POST", u"/api/hosts/gpu1/config/validate"_s, kGood, "application/yaml");
        QCOMPARE(good.status, 200);
        QCOMPARE(good.body.value(u"valid"_s).toBool(), true);
        QCOMPARE(good.body.value(u"errors"_s).toArray().size(), 0);

        const Answer broken = call("POST", u"/api/hosts/gpu1/config/validate"_s, json({{u"text"_s, QString::fromUtf8(kBroken)}}));
        QCOMPARE(broken.status, 200);
        QCOMPARE(broken.body.value(u"valid"_s).toBool(), false);
        const QJsonObject error = broken.body.value(u"errors"_s).toArray().first().toObject();
        QCOMPARE(error.value(u"line"_s).toInt(), 2); // the model the rule is about
        QVERIFY(error.value(u"column"_s).toInt() > 0);
        QVERIFY(error.value(u"path"_s).toString().startsWith(u"models.a"_s));
        QVERIFY(!error.value(u"rule"_s).toString().isEmpty());
        QVERIFY(!error.value(u"message"_s).toString().isEmpty());
        QVERIFY(broken.body.value(u"warnings"_s).isArray());

        const Answer badJson = call("POST", u"/api/hosts/gpu1/config/validate"_s, "{\"text\": ");
        QCOMPARE(badJson.status, 400);
        QCOMPARE(badJson.errorCode(), u"bad_request"_s);
        QCOMPARE(call("POST", u"/api/hosts/gpu1/config/validate"_s, R"({"text": 3})").status, 400);
        // Larger than the route takes: refused before it is read.
        QCOMPARE(
            call("POST", u"/api/hosts/gpu1/config/validate"_s, QByteArray(ConfigApi::kMaxBodyBytes + 10, '#'), "application/yaml").status,
            413);
    }

    void diffsAgainstTheHostsFile()
    {
        const Answer diff = call("POST", u"/api/hosts/gpu1/config/diff"_s, kGood, "application/yaml");
        QCOMPARE(diff.status, 200);
        QVERIFY2(diff.body.value(u"diff"_s).toString().contains(u"+  c:"_s), diff.raw.constData());
        QVERIFY(diff.body.value(u"diff"_s).toString().contains(u"-# two models"_s));
        QCOMPARE(diff.body.value(u"changed"_s).toBool(), true);
        QCOMPARE(diff.body.value(u"current_sha256"_s).toString(), sha256(kBefore));
        QCOMPARE(diff.body.value(u"new_sha256"_s).toString(), sha256(kGood));
        QCOMPARE(diff.body.value(u"validation"_s).toObject().value(u"valid"_s).toBool(), true);
        QCOMPARE(readFile(m_config), kBefore);
    }

    void badApplyRequests()
    {
        QCOMPARE(call("POST", u"/api/hosts/gpu1/config/apply"_s, "not json").status, 400);
        const Answer noSha = call("POST", u"/api/hosts/gpu1/config/apply"_s, json({{u"text"_s, QString::fromUtf8(kGood)}}));
        QCOMPARE(noSha.status, 400);
        QVERIFY(noSha.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"sha256"_s));
        QCOMPARE(
            call("POST", u"/api/hosts/gpu1/config/apply"_s, json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, u"abc"_s}})).status,
            400);
        QCOMPARE(call("POST", u"/api/hosts/gpu1/config/apply"_s,
                      json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, sha256(kBefore)}, {u"force"_s, u"yes"_s}}))
                     .status,
                 400);
        QCOMPARE(call("POST", u"/api/hosts/gpu1/config/restore"_s, json({{u"sha256"_s, sha256(kBefore)}})).status, 400);
        QCOMPARE(readFile(m_config), kBefore);
    }

    void brokenConfigIsNotApplied()
    {
        const Answer refused = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                    json({{u"text"_s, QString::fromUtf8(kBroken)}, {u"sha256"_s, sha256(kBefore)}}));
        QCOMPARE(refused.status, 422);
        QCOMPARE(refused.errorCode(), u"invalid"_s);
        QCOMPARE(refused.body.value(u"validation"_s).toObject().value(u"valid"_s).toBool(), false);
        QVERIFY(!refused.body.value(u"validation"_s).toObject().value(u"errors"_s).toArray().isEmpty());
        QCOMPARE(refused.body.value(u"job"_s).toObject().value(u"outcome"_s).toString(), u"invalid"_s);
        QCOMPARE(readFile(m_config), kBefore);
    }

    void changedFileIsRefusedWithTheNewDiff()
    {
        // The client read kGood's predecessor, but someone edited the file since.
        const Answer refused
            = call("POST", u"/api/hosts/gpu1/config/apply"_s, json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, sha256(kGood)}}));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), u"changed"_s);
        QCOMPARE(refused.body.value(u"current_sha256"_s).toString(), sha256(kBefore));
        QVERIFY(refused.body.value(u"diff"_s).toString().contains(u"+  c:"_s));
        QCOMPARE(readFile(m_config), kBefore);
    }

    void aLeasedHostIsRefused()
    {
        HostLease lease;
        lease.providerId = u"gpu1"_s;
        lease.holder = u"bench:nightly"_s;
        lease.reason = u"benchmark"_s;
        lease.expiresAt = QDateTime::currentMSecsSinceEpoch() + 60000;
        auto held = m_leases->grant(lease);
        QVERIFY(held);
        const Answer refused = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                    json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, sha256(kBefore)}, {u"force"_s, true}}));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), u"host_leased"_s);
        QVERIFY(refused.body.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"bench:nightly"_s));
        QVERIFY(m_leases->release(held->id));
        QCOMPARE(readFile(m_config), kBefore);
    }

    void appliesAsynchronouslyAndRefusesASecondApply()
    {
        QWebSocket feed;
        QList<QJsonObject> progress;
        connect(&feed, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value(u"type"_s).toString() == u"config_progress"_s)
                progress << message.value(u"job"_s).toObject();
        });
        feed.open(QUrl(u"ws://127.0.0.1:%1/api/ws/control?token=%2"_s.arg(m_server->port()).arg(kToken)));
        QTRY_COMPARE_WITH_TIMEOUT(feed.state(), QAbstractSocket::ConnectedState, 10000);

        const Answer started = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                    json({{u"text"_s, QString::fromUtf8(kGood)},
                                          {u"sha256"_s, sha256(kBefore)},
                                          {u"reason"_s, u"add c"_s},
                                          {u"author"_s, u"ops"_s}}));
        QVERIFY2(started.status == 202, started.raw.constData());
        const QJsonObject job = started.body.value(u"job"_s).toObject();
        const QString id = job.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(job.value(u"state"_s).toString(), u"running"_s);
        // It holds the host now: a second change to it is refused while it runs.
        const Answer second = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                   json({{u"text"_s, QString::fromUtf8(kBefore)}, {u"sha256"_s, sha256(kBefore)}}));
        QCOMPARE(second.status, 409);
        QCOMPARE(second.errorCode(), u"config_running"_s);

        const QJsonObject finished = finishedJob(id);
        QVERIFY2(finished.value(u"outcome"_s).toString() == u"applied"_s, QJsonDocument(finished).toJson().constData());
        QStringList steps;
        for (const QJsonValue &s : finished.value(u"steps"_s).toArray())
            steps << s.toObject().value(u"step"_s).toString();
        QCOMPARE(steps,
                 (QStringList{u"validate"_s, u"read"_s, u"diff"_s, u"environment"_s, u"lease"_s, u"backup"_s, u"write"_s, u"reload"_s,
                              u"health"_s}));
        QCOMPARE(finished.value(u"author"_s).toString(), u"ops"_s);
        QCOMPARE(finished.value(u"result"_s).toObject().value(u"access"_s).toString(), u"granted"_s);
        QCOMPARE(readFile(m_config), kGood);
        // The lease is free again, and the gate's decision was recorded.
        auto active = m_leases->active();
        QVERIFY(active);
        QVERIFY(active->isEmpty());
        auto decisions = m_gate->recentDecisions(1);
        QVERIFY(decisions && !decisions->isEmpty());
        QCOMPARE(decisions->constFirst().value(u"holder"_s).toString(), u"config:ops"_s);

        // The feed told every step, and the end.
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.constLast().value(u"state"_s).toString() == u"finished"_s, 10000);
        QVERIFY(progress.size() >= 5);
        QCOMPARE(progress.constFirst().value(u"id"_s).toString(), id);
    }

    void backupsAndRestore()
    {
        const Answer listed = call("GET", u"/api/hosts/gpu1/config/backups"_s);
        QCOMPARE(listed.status, 200);
        const QJsonArray backups = listed.body.value(u"backups"_s).toArray();
        QCOMPARE(backups.size(), 1);
        const QJsonObject backup = backups.first().toObject();
        QCOMPARE(backup.value(u"sha256"_s).toString(), sha256(kBefore));
        QCOMPARE(backup.value(u"reason"_s).toString(), u"add c"_s);

        QCOMPARE(call("POST", u"/api/hosts/gpu1/config/restore"_s, json({{u"backup_id"_s, 999}, {u"sha256"_s, sha256(kGood)}})).status,
                 404);
        const Answer stale = call("POST", u"/api/hosts/gpu1/config/restore"_s,
                                  json({{u"backup_id"_s, backup.value(u"id"_s)}, {u"sha256"_s, sha256(kBefore)}}));
        QCOMPARE(stale.status, 409);
        QCOMPARE(stale.errorCode(), u"changed"_s);

        const Answer started = call("POST", u"/api/hosts/gpu1/config/restore"_s,
                                    json({{u"backup_id"_s, backup.value(u"id"_s)}, {u"sha256"_s, currentSha()}}));
        QVERIFY2(started.status == 202, started.raw.constData());
        const QJsonObject job = finishedJob(started.body.value(u"job"_s).toObject().value(u"id"_s).toString());
        QVERIFY2(job.value(u"outcome"_s).toString() == u"applied"_s, QJsonDocument(job).toJson().constData());
        QCOMPARE(job.value(u"kind"_s).toString(), u"restore"_s);
        QCOMPARE(job.value(u"backup_id"_s).toInteger(), backup.value(u"id"_s).toInteger());
        QCOMPARE(readFile(m_config), kBefore);
        // The restore replaced kGood: that is a backup now too.
        const QJsonArray after = call("GET", u"/api/hosts/gpu1/config/backups"_s).body.value(u"backups"_s).toArray();
        QCOMPARE(after.size(), 2);
        QCOMPARE(after.first().toObject().value(u"sha256"_s).toString(), sha256(kGood));
    }

    void unchangedTextChangesNothing()
    {
        const Answer same = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                 json({{u"text"_s, QString::fromUtf8(kBefore)}, {u"sha256"_s, sha256(kBefore)}}));
        QCOMPARE(same.status, 200);
        QCOMPARE(same.body.value(u"job"_s).toObject().value(u"outcome"_s).toString(), u"unchanged"_s);
    }

    void aBusyHostIsRefusedUnlessForced()
    {
        InFlightUpdate serving;
        serving.operation = InFlightUpdate::Operation::Count;
        serving.shape = InFlightUpdate::Shape::Total;
        serving.total = 2;
        m_fleet->applyInFlight(u"gpu1"_s, serving);
        QCOMPARE(m_fleet->host(u"gpu1"_s)->inflightCount, 2);
        const QByteArray body = json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, sha256(kBefore)}});
        const Answer busy = call("POST", u"/api/hosts/gpu1/config/apply"_s, body);
        QCOMPARE(busy.status, 409);
        QCOMPARE(busy.errorCode(), u"host_busy"_s);
        QCOMPARE(readFile(m_config), kBefore);

        const Answer forced = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                   json({{u"text"_s, QString::fromUtf8(kGood)}, {u"sha256"_s, sha256(kBefore)}, {u"force"_s, true}}));
        QVERIFY2(forced.status == 202, forced.raw.constData());
        const QJsonObject job = finishedJob(forced.body.value(u"job"_s).toObject().value(u"id"_s).toString());
        QCOMPARE(job.value(u"outcome"_s).toString(), u"applied"_s);
        QCOMPARE(job.value(u"result"_s).toObject().value(u"forced"_s).toBool(), true);
        QCOMPARE(readFile(m_config), kGood);
        serving.total = 0;
        m_fleet->applyInFlight(u"gpu1"_s, serving);
    }

    // A change the host cannot load is rolled back on its own, and --serve raises one
    // config_rollback alert for it (as app/main.cpp wires it); a change that applies raises none.
    void aRolledBackApplyRaisesAnAlert()
    {
        AlertMonitor monitor(m_fleet.get());
        ConfigRollbackAlerts::install(m_jobs.get(), &monitor);
        QSignalSpy alerts(&monitor, &AlertMonitor::alert);
        const QByteArray before = readFile(m_config);
        // Valid for the validator; the stand-in refuses to load it, as llama-swap does a model
        // file it cannot use.
        const QByteArray unloadable = before
            + "  broken:\n    cmd: llama-server --port ${PORT} -m gone.gguf\n"
              "    metadata:\n      standin: refuse\n";
        const Answer started = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                    json({{u"text"_s, QString::fromUtf8(unloadable)}, {u"sha256"_s, sha256(before)}}));
        QVERIFY2(started.status == 202, started.raw.constData());
        const QJsonObject job = finishedJob(started.body.value(u"job"_s).toObject().value(u"id"_s).toString());
        QVERIFY2(job.value(u"outcome"_s).toString() == u"rolled-back"_s, QJsonDocument(job).toJson().constData());
        QCOMPARE(readFile(m_config), before);
        QTRY_COMPARE_WITH_TIMEOUT(alerts.count(), 1, 5000);
        const Alert alert = alerts.at(0).at(0).value<Alert>();
        QCOMPARE(alert.kind, Alert::Kind::ConfigRollback);
        QCOMPARE(alert.dedupKey(), u"config_rollback/gpu1"_s);
        QCOMPARE(alert.severity(), AlertSeverity::Warning);
        QVERIFY2(alert.detail.startsWith(u"apply config-"_s), qPrintable(alert.detail));

        // Putting the good file back applies: no second alert.
        const Answer back = call("POST", u"/api/hosts/gpu1/config/apply"_s,
                                 json({{u"text"_s, QString::fromUtf8(kBefore)}, {u"sha256"_s, sha256(before)}}));
        QVERIFY2(back.status == 202 || back.status == 200, back.raw.constData());
        if (back.status == 202) {
            const QJsonObject restored = finishedJob(back.body.value(u"job"_s).toObject().value(u"id"_s).toString());
            QCOMPARE(restored.value(u"outcome"_s).toString(), u"applied"_s);
        }
        QCOMPARE(alerts.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestConfigApi)
#include "tst_configapi.moc"
