#include "tests/bench/benchsupport.h"

#include "core/fleet/fleetstate.h"
#include "core/providers/providerregistry.h"
#include "core/store/database.h"
#include "core/store/historywriter.h"
#include "core/store/migrations.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace boo::bench {

qint64 residentBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    // /proc files report a size of 0, so read until the end rather than testing atEnd().
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong() * 1024;
    }
    return 0;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    // A real event loop (blocked in poll between events), checking now and then: spinning here
    // would delay the very network replies the benchmarks measure.
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start(5);
    loop.exec();
    return done();
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const double rank = p / 100.0 * double(values.size() - 1);
    const auto low = qsizetype(std::floor(rank));
    const auto high = qsizetype(std::ceil(rank));
    return values.at(low) + (values.at(high) - values.at(low)) * (rank - double(low));
}

QString grouped(double value)
{
    return QLocale(QLocale::English).toString(qint64(std::llround(value)));
}

ExternalSimFleet::~ExternalSimFleet()
{
    stop();
}

Result<QList<ProviderConfig>> ExternalSimFleet::start(const QStringList &hostSpecs)
{
    m_process = new QProcess;
    QStringList args;
    for (const QString &spec : hostSpecs)
        args << u"--host"_s << spec;
    m_process->start(QCoreApplication::applicationDirPath() + u"/boo-simfleet"_s, args);
    if (!m_process->waitForStarted(5000))
        return makeError(u"bench"_s, u"cannot start boo-simfleet next to boo-bench: "_s + m_process->errorString());
    QByteArray output;
    waitFor(
        [&] {
            output += m_process->readAllStandardOutput();
            return output.contains("control http") || m_process->state() != QProcess::Running;
        },
        60000);
    QList<ProviderConfig> providers;
    for (const QByteArray &line : output.split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < 2)
            continue;
        if (fields.first() == "control") {
            m_control = QUrl(QString::fromUtf8(fields.at(1)));
            continue;
        }
        ProviderConfig provider;
        provider.id = QString::fromUtf8(fields.at(0));
        provider.name = provider.id;
        provider.baseUrl = QUrl(QString::fromUtf8(fields.at(1)));
        providers << provider;
    }
    if (providers.size() != hostSpecs.size() || !m_control.isValid())
        return makeError(u"bench"_s,
                         u"boo-simfleet started %1 of %2 hosts: %3"_s.arg(providers.size())
                             .arg(hostSpecs.size())
                             .arg(QString::fromUtf8(m_process->readAllStandardError())));
    return providers;
}

namespace {
Result<QByteArray> exchange(const QByteArray &method, const QUrl &url, const QByteArray &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    waitFor([reply] { return reply->isFinished(); }, 30000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    delete reply;
    if (status < 200 || status > 299)
        return makeError(
            u"bench"_s, u"%1 %2: HTTP %3 %4"_s.arg(QString::fromLatin1(method), url.toString()).arg(status).arg(QString::fromUtf8(answer)));
    return answer;
}
} // namespace

Result<void> ExternalSimFleet::post(const QString &path, const QByteArray &body)
{
    auto answer = exchange("POST", m_control.resolved(QUrl(path)), body);
    if (!answer)
        return answer.error();
    return {};
}

qint64 ExternalSimFleet::sumOverHosts(const QString &field)
{
    auto answer = exchange("GET", m_control.resolved(QUrl(u"/hosts"_s)), {});
    if (!answer)
        return -1;
    qint64 sum = 0;
    for (const QJsonValue &host : QJsonDocument::fromJson(*answer).object().value(u"hosts"_s).toArray())
        sum += host.toObject().value(field).toInteger();
    return sum;
}

void ExternalSimFleet::stop()
{
    if (!m_process)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(5000))
        m_process->kill();
    delete m_process;
    m_process = nullptr;
}

Result<std::unique_ptr<IngestStack>> IngestStack::create(const DatabaseUrl &url, const QList<ProviderConfig> &providers,
                                                         const ConnectorTimings &timings)
{
    auto stack = std::make_unique<IngestStack>();
    RuntimeOptions options;
    options.database = url;
    options.fixedProviders = providers;
    options.ingest.timings = timings;
    auto runtime = FleetRuntime::create(options);
    if (!runtime)
        return runtime.error();
    stack->owner = std::make_unique<QObject>();
    stack->runtime = std::move(runtime).value();
    stack->database = stack->runtime->database();
    stack->registry = stack->runtime->registry();
    stack->writer = stack->runtime->writer();
    stack->fleet = stack->runtime->fleet();
    stack->ingest = stack->runtime->ingest();
    return stack;
}

void IngestStack::start()
{
    runtime->start();
}

void IngestStack::stop()
{
    if (runtime)
        runtime->stop();
}

bool IngestStack::allConnected() const
{
    const QStringList ids = fleet->hostIds();
    return !ids.isEmpty()
        && std::all_of(ids.cbegin(), ids.cend(), [this](const QString &id) { return fleet->host(id)->liveness == Liveness::Connected; });
}

IngestStack::~IngestStack()
{
    stop();
    owner.reset(); // connections made by the benchmark go before what they watch
}

} // namespace boo::bench
