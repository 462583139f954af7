// boo-bench gateway — the gateway's speed targets (issue "The gateway"): against one simulated
// llama-swap host on loopback that answers at once, the same streaming chat request
//   1. straight to the host,
//   2. through `boocontrol --serve` (the gateway, with its ingest and history writer running),
//   3. through Debian's nginx as a reverse proxy (keep-alive upstream, no buffering),
// each by 1, 16 and 64 concurrent clients on keep-alive connections. Reported: time to the first
// body byte (p50 / p99) and requests/s. Targets: the gateway adds under 0.5 ms (p50) and under
// 2 ms (p99) to the first byte at 64 streams, and reaches at least 0.8 of nginx's requests/s.
// Every process is separate (host, gateway, nginx, this load generator), as in production.

#include "tests/bench/benchmarks.h"
#include "tests/bench/benchsupport.h"

#include "core/gateway/upstreamconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrl>

#include <chrono>
#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace boo::bench {

namespace {

void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

struct Options
{
    QList<int> streams{1, 16, 64};
    int seconds = 5;
    int tokens = 16;
};

struct Sample
{
    QList<double> ttftMs;
    qint64 requests = 0;
    qint64 failures = 0;
    double seconds = 0;
    double rps() const { return seconds > 0 ? double(requests) / seconds : 0; }
};

// One keep-alive client that sends the same streaming request again and again.
class LoadClient final : private UpstreamConnection::Listener
{
public:
    LoadClient(UpstreamOrigin origin, QByteArray request, Sample *sample)
        : m_connection(std::move(origin)), m_request(std::move(request)), m_sample(sample)
    {
    }

    void start(qint64 measureFromNs, qint64 stopAtNs)
    {
        m_measureFrom = measureFromNs;
        m_stopAt = stopAtNs;
        next();
    }
    bool idle() const { return !m_busy; }

private:
    void next()
    {
        if (steadyNs() >= m_stopAt) {
            m_busy = false;
            return;
        }
        m_busy = true;
        m_sentNs = steadyNs();
        m_firstNs = 0;
        m_status = 0;
        UpstreamTimeouts timeouts;
        timeouts.headerMs = 10000;
        m_connection.send(m_request, false, timeouts, this);
    }
    void upstreamHead(int status, const HttpHeaders &) override { m_status = status; }
    void upstreamBody(QByteArrayView) override
    {
        if (m_firstNs == 0)
            m_firstNs = steadyNs();
    }
    void upstreamComplete() override
    {
        if (m_sentNs >= m_measureFrom) {
            if (m_status == 200 && m_firstNs > 0) {
                ++m_sample->requests;
                m_sample->ttftMs << double(m_firstNs - m_sentNs) / 1e6;
            } else {
                ++m_sample->failures;
            }
        }
        next();
    }
    void upstreamFailed(UpstreamFailure, const QString &) override
    {
        if (m_sentNs >= m_measureFrom)
            ++m_sample->failures;
        next();
    }

    UpstreamConnection m_connection;
    QByteArray m_request;
    Sample *m_sample;
    qint64 m_measureFrom = 0;
    qint64 m_stopAt = 0;
    qint64 m_sentNs = 0;
    qint64 m_firstNs = 0;
    int m_status = 0;
    bool m_busy = false;
};

QByteArray chatRequest(quint16 port, const QString &model, int tokens)
{
    const QByteArray body = "{\"model\":\"" + model.toUtf8() + "\",\"stream\":true,\"max_tokens\":" + QByteArray::number(tokens)
                            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Write a haiku about latency.\"}]}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
           + "\r\nContent-Type: application/json\r\nX-Boo-Source: bench\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\n\r\n" + body;
}

Sample measure(quint16 port, const QString &model, int streams, const Options &o)
{
    Sample sample;
    const QByteArray request = chatRequest(port, model, o.tokens);
    std::vector<std::unique_ptr<LoadClient>> clients;
    for (int i = 0; i < streams; ++i)
        clients.push_back(std::make_unique<LoadClient>(UpstreamOrigin{u"127.0.0.1"_s, port, false}, request, &sample));
    const qint64 warmupNs = 500'000'000;
    const qint64 start = steadyNs();
    for (auto &c : clients)
        c->start(start + warmupNs, start + warmupNs + qint64(o.seconds) * 1'000'000'000);
    waitFor([&] { return std::all_of(clients.cbegin(), clients.cend(), [](const auto &c) { return c->idle(); }); }, (o.seconds + 30) * 1000);
    sample.seconds = double(steadyNs() - start - warmupNs) / 1e9;
    return sample;
}

// A child process we started; stopped (and reaped) when this goes.
class Child
{
public:
    ~Child() { stop(); }
    Result<void> start(const QString &program, const QStringList &args, const QString &what)
    {
        m_what = what;
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->start(program, args);
        if (!m_process->waitForStarted(5000))
            return makeError(u"bench"_s, u"cannot start %1 (%2): %3"_s.arg(what, program, m_process->errorString()));
        return {};
    }
    QString output() { return m_process ? QString::fromUtf8(m_process->readAll()) : QString(); }
    bool running() const { return m_process && m_process->state() == QProcess::Running; }
    void stop()
    {
        if (!m_process)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(5000))
            m_process->kill();
        m_process->waitForFinished(2000);
        m_process.reset();
    }

private:
    std::unique_ptr<QProcess> m_process;
    QString m_what;
};

// Waits until `port` answers `path` with 200 and a body containing `needle`.
bool awaitReady(quint16 port, const QString &path, const QByteArray &needle, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        UpstreamConnection probe(UpstreamOrigin{u"127.0.0.1"_s, port, false});
        struct Probe final : UpstreamConnection::Listener
        {
            int status = 0;
            QByteArray body;
            bool done = false;
            void upstreamHead(int s, const HttpHeaders &) override { status = s; }
            void upstreamBody(QByteArrayView piece) override { body += piece.toByteArray(); }
            void upstreamComplete() override { done = true; }
            void upstreamFailed(UpstreamFailure, const QString &) override { done = true; }
        } listener;
        UpstreamTimeouts t;
        t.connectMs = 500;
        t.headerMs = 2000;
        probe.send("GET " + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", false, t, &listener);
        waitFor([&] { return listener.done; }, 3000);
        if (listener.status == 200 && listener.body.contains(needle))
            return true;
        waitFor([] { return false; }, 200);
    }
    return false;
}

QString nginxConfig(const QString &dir, quint16 listenPort, quint16 upstreamPort)
{
    // Root's workers would otherwise switch to "nobody", who cannot write our temp directory.
    const QString user = ::geteuid() == 0 ? u"user root;\n"_s : QString();
    return user + u"worker_processes 1;\ndaemon off;\npid %1/nginx.pid;\nerror_log %1/error.log warn;\n"
                  u"events { worker_connections 4096; }\n"
                  u"http {\n  access_log off;\n"
                  u"  client_body_temp_path %1/body;\n  proxy_temp_path %1/proxy;\n  fastcgi_temp_path %1/fastcgi;\n"
                  u"  uwsgi_temp_path %1/uwsgi;\n  scgi_temp_path %1/scgi;\n"
                  u"  upstream sim { server 127.0.0.1:%3; keepalive 256; }\n"
                  u"  server {\n    listen 127.0.0.1:%2;\n    location / {\n      proxy_pass http://sim;\n"
                  u"      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n"
                  u"      proxy_buffering off;\n      proxy_request_buffering off;\n    }\n  }\n}\n"_s.arg(dir).arg(listenPort).arg(upstreamPort);
}

QString ms(double value)
{
    return QString::number(value, 'f', 3);
}

} // namespace

int runGateway(const QStringList &args)
{
    Options o;
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        if (args.at(i) == u"--seconds"_s) {
            o.seconds = qMax(1, args.at(i + 1).toInt());
        } else if (args.at(i) == u"--tokens"_s) {
            o.tokens = qMax(1, args.at(i + 1).toInt());
        } else if (args.at(i) == u"--streams"_s) {
            o.streams.clear();
            for (const QString &n : args.at(i + 1).split(u',', Qt::SkipEmptyParts))
                o.streams << qMax(1, n.toInt());
        }
    }
    if (args.contains(u"--help"_s)) {
        say(u"boo-bench gateway [--streams 1,16,64] [--seconds 5 per measurement] [--tokens 16 per response]"_s);
        return 0;
    }
    const QString nginx = QStandardPaths::findExecutable(u"nginx"_s, {u"/usr/sbin"_s, u"/usr/local/sbin"_s, u"/usr/bin"_s});
    if (nginx.isEmpty()) {
        say(u"boo-bench gateway: nginx is not installed (Debian: apt-get install nginx; ./scripts/bench installs it)"_s);
        return 2;
    }
    QTemporaryDir dir;

    // 1. the host: answers at once, never sheds load.
    ExternalSimFleet sims;
    auto providers = sims.start({u"name=up,models=qwen3-8b,ttft-ms=0,tps=1000000,pps=1000000,concurrency=100000,perf-ms=60000"_s});
    if (!providers) {
        say(providers.error().message);
        return 2;
    }
    const quint16 simPort = quint16(providers->first().baseUrl.port());

    // 2. the gateway, as it runs in production.
    QFile registry(dir.filePath(u"providers.json"_s));
    if (!registry.open(QIODevice::WriteOnly))
        return 2;
    registry.write("{\"providers\":[{\"id\":\"up\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://127.0.0.1:" + QByteArray::number(simPort)
                   + "\"}]}");
    registry.close();
    const quint16 gatewayPort = freePort();
    Child gateway;
    if (auto started = gateway.start(QCoreApplication::applicationDirPath() + u"/boocontrol"_s,
                                     {u"--serve"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(gatewayPort), u"--providers"_s,
                                      registry.fileName(), u"--db"_s, u"sqlite:"_s + dir.filePath(u"gateway.sqlite"_s)},
                                     u"boocontrol --serve"_s);
        !started) {
        say(started.error().message);
        return 2;
    }
    if (!awaitReady(gatewayPort, u"/v1/models"_s, "\"up/qwen3-8b\"", 20000)) {
        say(u"the gateway did not come up: "_s + gateway.output());
        return 2;
    }

    // 3. nginx in front of the same host.
    const quint16 nginxPort = freePort();
    QFile config(dir.filePath(u"nginx.conf"_s));
    if (!config.open(QIODevice::WriteOnly))
        return 2;
    config.write(nginxConfig(dir.path(), nginxPort, simPort).toUtf8());
    config.close();
    Child proxy;
    if (auto started = proxy.start(nginx, {u"-p"_s, dir.path(), u"-c"_s, config.fileName(), u"-e"_s, dir.filePath(u"error.log"_s)},
                                   u"nginx"_s);
        !started) {
        say(started.error().message);
        return 2;
    }
    if (!awaitReady(nginxPort, u"/health"_s, "OK", 10000)) {
        say(u"nginx did not come up: "_s + proxy.output());
        return 2;
    }
    // Load the model once, so that no measurement waits for it.
    measure(gatewayPort, u"auto"_s, 1, Options{{1}, 1, o.tokens});

    say(u"gateway benchmark: %1 s per measurement after 0.5 s of warm-up, %2 tokens per streamed answer"_s.arg(o.seconds).arg(o.tokens));
    say(u"| streams | path | TTFT p50 ms | TTFT p99 ms | added p50 ms | added p99 ms | requests/s | failures |"_s);
    say(u"|---:|---|---:|---:|---:|---:|---:|---:|"_s);
    bool met = true;
    QStringList verdicts;
    for (const int streams : std::as_const(o.streams)) {
        const Sample direct = measure(simPort, u"qwen3-8b"_s, streams, o);
        const Sample viaGateway = measure(gatewayPort, u"auto"_s, streams, o);
        const Sample viaNginx = measure(nginxPort, u"qwen3-8b"_s, streams, o);
        const double d50 = percentile(direct.ttftMs, 50), d99 = percentile(direct.ttftMs, 99);
        const auto row = [&](const QString &name, const Sample &s, bool added) {
            const double p50 = percentile(s.ttftMs, 50), p99 = percentile(s.ttftMs, 99);
            say(u"| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 |"_s.arg(streams).arg(name, ms(p50), ms(p99), added ? ms(p50 - d50) : u"-"_s,
                                                                      added ? ms(p99 - d99) : u"-"_s, grouped(s.rps()))
                    .arg(s.failures));
        };
        row(u"direct"_s, direct, false);
        row(u"gateway"_s, viaGateway, true);
        row(u"nginx"_s, viaNginx, true);
        const double ratio = viaNginx.rps() > 0 ? viaGateway.rps() / viaNginx.rps() : 0;
        verdicts << u"%1 streams: gateway/nginx requests/s = %2 (target >= 0.80)"_s.arg(streams).arg(ratio, 0, 'f', 2);
        met = met && ratio >= 0.8 && viaGateway.failures == 0;
        if (streams == 64) {
            const double a50 = percentile(viaGateway.ttftMs, 50) - d50, a99 = percentile(viaGateway.ttftMs, 99) - d99;
            verdicts << u"64 streams: added TTFT p50 %1 ms (target < 0.5), p99 %2 ms (target < 2)"_s.arg(ms(a50), ms(a99));
            met = met && a50 < 0.5 && a99 < 2.0;
        }
    }
    for (const QString &v : std::as_const(verdicts))
        say(v);
    say(met ? u"all targets met"_s : u"a target was missed"_s);
    proxy.stop();
    gateway.stop();
    sims.stop();
    return met ? 0 : 1;
}

} // namespace boo::bench
