#pragma once

#include "core/sim/simconfig.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

// Small builders shared by the gateway's integration tests.
namespace boo::test {

// A simulated host whose models answer quickly: the tests measure the gateway, not the hosts.
inline SimHostConfig quickHost(const QString &name, const QStringList &models, double tokensPerSecond = 5000)
{
    SimHostConfig c;
    c.name = name;
    c.perfIntervalMs = 60000;
    for (const QString &id : models) {
        SimModelConfig m = SimModelConfig::fromName(id);
        m.loadMs = 30;
        m.unloadMs = 10;
        m.timeToFirstTokenMs = 2;
        m.generationTokensPerSecond = tokensPerSecond;
        m.promptTokensPerSecond = 100000;
        m.group = id; // every model stays loaded: no swaps unless a test wants them
        c.models << m;
    }
    c.gpus << SimGpuConfig{};
    c.tickMs = 5;
    return c;
}

inline QByteArray chatBody(const QString &model, bool stream = false, int maxTokens = 4, const QString &content = QStringLiteral("hi"))
{
    QJsonObject o{{QStringLiteral("model"), model},
                  {QStringLiteral("stream"), stream},
                  {QStringLiteral("max_tokens"), maxTokens},
                  {QStringLiteral("messages"),
                   QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), content}}}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline QJsonObject policyJson(const QString &name, const QStringList &candidates, const QString &strategy = QStringLiteral("ordered"))
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("candidates"), QJsonArray::fromStringList(candidates)},
                       {QStringLiteral("strategy"), strategy}};
}

} // namespace boo::test
