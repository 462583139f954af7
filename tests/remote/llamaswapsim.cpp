// A llama-swap host for the config pipeline's tests (tst_configapplyjob, tst_configapplycommand):
// it reads its YAML config file and reloads it the way llama-swap does with -watch-config (the
// file changed) or on SIGHUP; a config it cannot load is refused with a `failed to reload config`
// log line and the old one stays in force. It answers GET /health, /v1/models (the models of the
// config in force, unlisted ones left out) and /logs (its log). Two markers in a model's
// metadata play a host's own troubles, in a file our validator accepts:
//   metadata: {standin: refuse}  the reload fails (as a model file llama-swap cannot use)
//   metadata: {standin: hang}    loaded, but /health answers 503 from then on (the host does not
//                                come back)
// Usage: llama-swap --config FILE; prints "listening PORT" once it listens on 127.0.0.1.

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <yaml-cpp/yaml.h>

#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

volatile std::sig_atomic_t hangup = 0;

void onHangup(int)
{
    hangup = 1;
}

struct LoadedConfig
{
    QStringList listed;
    bool hang = false;
};

// Empty error = loaded.
LoadedConfig load(const QByteArray &text, QString *error)
{
    LoadedConfig config;
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        const YAML::Node models = root["models"];
        if (!models || !models.IsMap()) {
            *error = u"no models"_s;
            return config;
        }
        for (const auto &entry : models) {
            const QString id = QString::fromStdString(entry.first.as<std::string>());
            const YAML::Node model = entry.second;
            if (!model["cmd"]) {
                *error = u"model %1: cmd is required"_s.arg(id);
                return config;
            }
            const YAML::Node marker = model["metadata"] ? model["metadata"]["standin"] : YAML::Node();
            const QString trouble = marker ? QString::fromStdString(marker.as<std::string>()) : QString();
            if (trouble == u"refuse"_s) {
                *error = u"model %1: cannot use its model file"_s.arg(id);
                return config;
            }
            if (trouble == u"hang"_s)
                config.hang = true;
            if (!(model["unlisted"] && model["unlisted"].as<bool>()))
                config.listed << id;
        }
    } catch (const YAML::Exception &e) {
        *error = QString::fromStdString(e.what());
    }
    return config;
}

class Standin final : public QObject
{
public:
    explicit Standin(QString path)
        : m_path(std::move(path))
    {
        connect(&m_server, &QTcpServer::newConnection, this, &Standin::accept);
        connect(&m_watch, &QTimer::timeout, this, &Standin::watch);
    }

    bool start()
    {
        QString error;
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly))
            return false;
        m_seen = file.readAll();
        m_config = load(m_seen, &error);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "cannot load %s: %s\n", qUtf8Printable(m_path), qUtf8Printable(error));
            return false;
        }
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            return false;
        log(u"loaded config with %1 models"_s.arg(m_config.listed.size()));
        m_watch.start(100);
        std::printf("listening %d\n", int(m_server.serverPort()));
        std::fflush(stdout);
        return true;
    }

private:
    void log(const QString &line)
    {
        m_log += line.toUtf8() + '\n';
        std::fprintf(stderr, "%s\n", qUtf8Printable(line));
    }

    void watch()
    {
        QFile file(m_path);
        const QByteArray now = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        if (now == m_seen && !hangup)
            return;
        hangup = 0;
        m_seen = now;
        QString error;
        LoadedConfig next = load(now, &error);
        if (!error.isEmpty()) {
            log(u"failed to reload config: %1"_s.arg(error));
            return;
        }
        m_config = next;
        log(u"config reloaded: %1 models"_s.arg(m_config.listed.size()));
    }

    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        }
    }

    void answer(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        m_buffers.remove(socket);
        const QByteArray path = requestLine.value(1);
        int status = 200;
        QByteArray type = "text/plain";
        QByteArray body;
        if (path == "/health") {
            status = m_config.hang ? 503 : 200;
            body = m_config.hang ? "not ready" : "OK";
        } else if (path == "/v1/models") {
            QJsonArray data;
            for (const QString &id : std::as_const(m_config.listed))
                data.append(QJsonObject{{u"id"_s, id}, {u"object"_s, u"model"_s}, {u"owned_by"_s, u"llama-swap"_s}});
            body = QJsonDocument(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}}).toJson(QJsonDocument::Compact);
            type = "application/json";
        } else if (path == "/logs") {
            body = m_log;
        } else {
            status = 404;
            body = "404 page not found";
        }
        socket->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") + "\r\nContent-Type: " + type
                      + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QString m_path;
    QTcpServer m_server;
    QTimer m_watch;
    QByteArray m_seen;
    LoadedConfig m_config;
    QByteArray m_log;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace

int main(int argc, char **argv)
{
    struct sigaction action = {};
    action.sa_handler = onHangup;
    sigemptyset(&action.sa_mask);
    sigaction(SIGHUP, &action, nullptr);
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(u"--config"_s);
    if (at < 0 || at + 1 >= args.size()) {
        std::fprintf(stderr, "usage: llama-swap --config FILE\n");
        return 2;
    }
    Standin standin(args.at(at + 1));
    if (!standin.start())
        return 1;
    return app.exec();
}
