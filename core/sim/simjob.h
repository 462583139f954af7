#pragma once

#include "core/http/httpheaders.h"
#include "core/http/httpresponder.h"
#include "core/http/httpstream.h"
#include "core/sim/simcapture.h"
#include "core/sim/simcompletion.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QString>

#include <memory>

namespace boo {

// An inference request as the pipeline sees it, from a socket or made up internally.
struct SimInferenceRequest
{
    SimEndpoint endpoint = SimEndpoint::ChatCompletions;
    QString reqPath = QStringLiteral("/v1/chat/completions");
    QByteArray method = QByteArrayLiteral("POST");
    QByteArray protocol = QByteArrayLiteral("HTTP/1.1");
    QByteArray body;
    SimCapture::Headers headers; // canonical, first value each, sorted; not yet redacted
    QString remoteIp = QStringLiteral("127.0.0.1");
    QString userAgent;
    QByteArray accept; // for error negotiation
    QString requestedModel;
    bool stream = false;
    qint64 maxTokens = 0; // 0: the model's default
    qint64 promptTokens = 0;
    QString lastUserText;   // what a scripted answer is matched against
    int injectedStatus = 0; // non-zero: answer with this error instead of generating
    bool realtime = true;   // false: no wall-clock waiting once the model is ready
};

// One request travelling through the pipeline: where it is, what it will answer, and the
// connection (if any) to answer on.
struct SimJob
{
    enum class Phase { Waiting, Prefill, Generating, Finished };

    quint64 serial = 0;
    SimInferenceRequest request;
    QString modelId; // resolved id; the requested name when unknown
    QString inflightId;
    quint64 ticket = 0; // model-manager wait
    qint64 admittedNs = 0;
    QElapsedTimer wall;
    Phase phase = Phase::Waiting;
    bool counted = false; // beginRequest() was called on the model
    SimCompletion completion;
    qint64 firstTokenAtMs = 0;
    qint64 endAtMs = 0;
    qint64 tokensSent = 0;
    qint64 bytesSent = 0;
    int status = 0;
    bool http = false;
    HttpResponder responder;
    std::unique_ptr<HttpStream> stream;
    QMetaObject::Connection goneConnection;
};

} // namespace boo
