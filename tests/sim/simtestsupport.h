#pragma once

// Helpers shared by the simulator tests: a blocking-free HTTP client on Qt's own
// QNetworkAccessManager, a raw socket client for framing checks, quick host configs and a
// JSON shape comparison against the reference fixtures.

#include "core/http/chunkeddecoder.h"
#include "core/sim/simconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <memory>

namespace simtest {

using namespace Qt::StringLiterals;

struct Reply
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[k, v] : headers) {
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
};

inline Reply wait(QNetworkReply *reply, int timeoutMs = 10000)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(timeoutMs);
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.error = reply->error();
    r.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return r;
}

inline QNetworkRequest request(quint16 port, const QString &pathAndQuery, const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    QNetworkRequest req(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(pathAndQuery)));
    for (const auto &[k, v] : headers)
        req.setRawHeader(k, v);
    // Redirects must reach the test unfollowed.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return req;
}

inline Reply get(QNetworkAccessManager &nam, quint16 port, const QString &path,
                 const QList<std::pair<QByteArray, QByteArray>> &headers = {})
{
    return wait(nam.get(request(port, path, headers)));
}

inline Reply post(QNetworkAccessManager &nam, quint16 port, const QString &path, const QByteArray &body,
                  QList<std::pair<QByteArray, QByteArray>> headers = {})
{
    headers.append({"Content-Type"_ba, "application/json"_ba});
    return wait(nam.post(request(port, path, headers), body));
}

inline QByteArray chatBody(const QString &model, bool stream, int maxTokens = 8)
{
    return u"{\"model\":\"%1\",\"stream\":%2,\"max_tokens\":%3,\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}"_s
        .arg(model, stream ? u"true"_s : u"false"_s)
        .arg(maxTokens)
        .toUtf8();
}

// A model that loads, answers and unloads in tens of milliseconds.
inline boo::SimModelConfig fastModel(const QString &id, int loadMs = 60)
{
    boo::SimModelConfig m = boo::SimModelConfig::fromName(id);
    m.name = id;
    m.loadMs = loadMs;
    m.unloadMs = 30;
    m.promptTokensPerSecond = 1e6;
    m.generationTokensPerSecond = 4000;
    m.timeToFirstTokenMs = 2;
    return m;
}

inline boo::SimHostConfig fastHost(const QString &name, const QStringList &models = {u"qwen3-8b"_s, u"gpt-oss-20b"_s})
{
    boo::SimHostConfig c;
    c.name = name;
    for (const QString &id : models)
        c.models.append(fastModel(id));
    c.perfIntervalMs = 40;
    c.ttlCheckIntervalMs = 20;
    c.inflightThrottleMs = 40;
    c.tickMs = 5;
    c.restartDownMs = 100;
    return c;
}

// Reads a socket into a buffer; for SSE and chunked framing checks.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_data += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    bool waitFor(const QByteArray &needle, int ms = 10000)
    {
        return QTest::qWaitFor([&] { return m_data.contains(needle); }, ms);
    }
    bool waitCount(const QByteArray &needle, int n, int ms = 10000)
    {
        return QTest::qWaitFor([&] { return m_data.count(needle) >= n; }, ms);
    }
    bool waitClosed(int ms = 10000)
    {
        return QTest::qWaitFor([&] { return m_closed; }, ms);
    }
    QByteArray &data() { return m_data; }
    bool closed() const { return m_closed; }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_data;
    bool m_closed = false;
};

// Undoes chunked transfer coding of a complete or partial body: the data of every whole chunk
// up to the first incomplete one (or the end, or a coding error).
inline QByteArray dechunk(const QByteArray &body)
{
    boo::ChunkedDecoder decoder;
    QByteArray out;
    QByteArray chunk;
    QByteArrayView rest = body;
    for (;;) {
        const boo::ChunkedDecoder::Step step = decoder.next(rest);
        rest = rest.sliced(step.consumed);
        if (step.kind != boo::ChunkedDecoder::Step::Kind::Data)
            return out;
        chunk += step.data;
        if (decoder.chunkRemaining() == 0) {
            out += chunk;
            chunk.clear();
        }
    }
}

// SSE messages parsed from a raw HTTP response (headers, chunked body).
struct SseMessage
{
    QString type;
    QByteArray data; // the inner JSON text
};

inline QList<SseMessage> sseMessages(const QByteArray &raw)
{
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    const QByteArray body = dechunk(raw.mid(headEnd + 4));
    QList<SseMessage> out;
    for (const QByteArray &block : body.split('\n')) {
        if (!block.startsWith("data:"))
            continue;
        const QJsonObject envelope = QJsonDocument::fromJson(block.mid(5)).object();
        out.append({envelope.value(u"type"_s).toString(), envelope.value(u"data"_s).toString().toUtf8()});
    }
    return out;
}

inline QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(BOO_TEST_DATA_DIR "/llama-swap/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"bool"_s;
    case QJsonValue::Double: return u"number"_s;
    case QJsonValue::String: return u"string"_s;
    case QJsonValue::Array: return u"array"_s;
    case QJsonValue::Object: return u"object"_s;
    default: return u"undefined"_s;
    }
}

// Same field names and JSON types as the fixture, recursively (arrays: first elements).
// Keys in `optional` may be absent on either side (omitempty fields).
inline QStringList shapeDifferences(const QJsonValue &actual, const QJsonValue &expected, const QString &path = u"$"_s,
                                    const QSet<QString> &optional = {})
{
    QStringList diffs;
    if (typeName(actual) != typeName(expected)) {
        diffs.append(u"%1: %2 instead of %3"_s.arg(path, typeName(actual), typeName(expected)));
        return diffs;
    }
    if (expected.isObject()) {
        const QJsonObject a = actual.toObject();
        const QJsonObject e = expected.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (!a.contains(it.key())) {
                if (!optional.contains(it.key()))
                    diffs.append(u"%1.%2 missing"_s.arg(path, it.key()));
                continue;
            }
            diffs += shapeDifferences(a.value(it.key()), it.value(), path + u'.' + it.key(), optional);
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!e.contains(it.key()) && !optional.contains(it.key()))
                diffs.append(u"%1.%2 unexpected"_s.arg(path, it.key()));
        }
    } else if (expected.isArray()) {
        const QJsonArray a = actual.toArray();
        const QJsonArray e = expected.toArray();
        if (!a.isEmpty() && !e.isEmpty())
            diffs += shapeDifferences(a.first(), e.first(), path + u"[0]"_s, optional);
    }
    return diffs;
}

// The models of the reference fixtures (reference §13), minus the peer.
inline boo::SimHostConfig fixtureHost()
{
    boo::SimHostConfig c = fastHost(u"fixture"_s, {});
    c.utcOffsetSeconds = 7200;
    boo::SimModelConfig bge = fastModel(u"bge-reranker"_s);
    bge.name = u"BGE reranker v2"_s;
    bge.unlisted = true;
    bge.hasCapabilities = true;
    bge.reranker = true;
    bge.contextLength = 0;
    bge.embeddings = true;
    boo::SimModelConfig oss = fastModel(u"gpt-oss-20b"_s);
    oss.name = u"gpt-oss 20B"_s;
    oss.hasCapabilities = false;
    boo::SimModelConfig qwen = fastModel(u"qwen3-30b-a3b"_s);
    qwen.name = u"Qwen3 30B A3B"_s;
    qwen.description = u"MoE, vision"_s;
    qwen.aliases = {u"qwen3"_s};
    qwen.hasCapabilities = true;
    qwen.inputModalities = {u"text"_s, u"image"_s};
    qwen.tools = true;
    qwen.contextLength = 32768;
    qwen.ttlMs = 300000;
    qwen.speculative = true;
    c.models = {oss, qwen, bge};
    return c;
}

inline QJsonObject byId(const QJsonArray &array, const QString &id, const QString &key = u"id"_s)
{
    for (const QJsonValue &v : array) {
        if (v.toObject().value(key).toString() == id)
            return v.toObject();
    }
    return {};
}

inline QString encoded(const QByteArray &timestamp)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(QString::fromLatin1(timestamp)));
}

} // namespace simtest
