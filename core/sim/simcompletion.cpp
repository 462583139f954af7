#include "core/sim/simcompletion.h"

#include "core/sim/gojsonwriter.h"
#include "core/sim/simactivityrow.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const char *const kWords[] = {
    "the",    "model",   "weights", "fill",   "card",      "tokens",    "flow",  "through", "layers", "quietly",
    "memory", "holds",   "context", "while",  "attention", "looks",     "back",  "and",     "forth",  "across",
    "every",  "prompt",  "a",       "small",  "cache",     "remembers", "what",  "was",     "said",   "before",
    "so",     "answers", "arrive",  "faster", "on",        "warm",      "hosts", "under",   "steady", "load",
};
constexpr quint32 kWordCount = sizeof(kWords) / sizeof(kWords[0]);

quint32 mix(quint32 x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

double round3(double v)
{
    return std::round(v * 1000.0) / 1000.0;
}

} // namespace

double SimCompletion::promptPerSecond() const
{
    return promptMs > 0 ? 1000.0 * double(promptProcessed()) / promptMs : 0;
}

double SimCompletion::predictedPerSecond() const
{
    return predictedMs > 0 ? 1000.0 * double(outputTokens) / predictedMs : 0;
}

QString SimCompletion::completionId() const
{
    const QString prefix = endpoint == SimEndpoint::Completions ? u"cmpl-"_s : u"chatcmpl-"_s;
    return prefix + QString::number(mix(seed ^ 0x5bd1e995U), 36);
}

QStringList SimCompletion::scriptPieces(const QString &text)
{
    QStringList pieces;
    qsizetype start = 0;
    for (qsizetype i = 1; i < text.size(); ++i) {
        if (text.at(i - 1).isSpace() && !text.at(i).isSpace()) {
            pieces << text.mid(start, i - start);
            start = i;
        }
    }
    if (start < text.size())
        pieces << text.mid(start);
    return pieces;
}

QString SimCompletion::tokenText(qint64 index) const
{
    if (!scripted.isEmpty())
        return index < scripted.size() ? scripted.at(index) : QString();
    const QString word = QString::fromLatin1(kWords[mix(seed + quint32(index) * 2654435761U) % kWordCount]);
    return index == 0 ? word : u' ' + word;
}

QByteArray SimCompletion::contentType() const
{
    return stream && endpoint != SimEndpoint::Embeddings ? "text/event-stream"_ba : "application/json; charset=utf-8"_ba;
}

void SimCompletion::writeUsage(GoJsonWriter &w) const
{
    w.key(u"usage").beginObject();
    if (endpoint == SimEndpoint::Embeddings) {
        w.key(u"prompt_tokens").integer(promptTokens);
        w.key(u"total_tokens").integer(promptTokens);
    } else {
        w.key(u"completion_tokens").integer(outputTokens);
        w.key(u"prompt_tokens").integer(promptTokens);
        w.key(u"total_tokens").integer(promptTokens + outputTokens);
    }
    w.endObject();
}

void SimCompletion::writeTimings(GoJsonWriter &w) const
{
    w.key(u"timings").beginObject();
    w.key(u"cache_n").integer(cacheTokens);
    w.key(u"prompt_n").integer(promptProcessed());
    w.key(u"prompt_ms").real(round3(promptMs));
    w.key(u"prompt_per_second").real(promptPerSecond());
    w.key(u"predicted_n").integer(outputTokens);
    w.key(u"predicted_ms").real(round3(predictedMs));
    w.key(u"predicted_per_second").real(predictedPerSecond());
    if (speculative) {
        w.key(u"draft_n").integer(draftTokens());
        w.key(u"draft_n_accepted").integer(draftAccepted());
    }
    w.endObject();
}

QByteArray SimCompletion::chunk(const QString &text, bool role, bool finish) const
{
    const bool chat = endpoint == SimEndpoint::ChatCompletions;
    GoJsonWriter w;
    w.beginObject();
    w.key(u"choices").beginArray().beginObject();
    w.key(u"finish_reason");
    if (finish)
        w.str(u"stop");
    else
        w.null();
    w.key(u"index").integer(0);
    if (chat) {
        w.key(u"delta").beginObject();
        if (role)
            w.key(u"role").str(u"assistant").key(u"content").null();
        else if (!finish)
            w.key(u"content").str(text);
        w.endObject();
    } else {
        w.key(u"text").str(text);
        w.key(u"logprobs").null();
    }
    w.endObject().endArray();
    w.key(u"created").integer(created);
    w.key(u"id").str(completionId());
    w.key(u"model").str(model);
    w.key(u"object").str(chat ? u"chat.completion.chunk" : u"text_completion");
    if (finish) {
        writeUsage(w);
        if (timings)
            writeTimings(w);
    }
    w.endObject();
    return "data: "_ba + w.data() + "\n\n";
}

QByteArray SimCompletion::roleChunk() const
{
    return endpoint == SimEndpoint::ChatCompletions ? chunk({}, true, false) : QByteArray();
}

QByteArray SimCompletion::tokenChunk(qint64 index) const
{
    return chunk(tokenText(index), false, false);
}

QByteArray SimCompletion::finalChunk() const
{
    return chunk({}, false, true);
}

QByteArray SimCompletion::doneChunk()
{
    return "data: [DONE]\n\n"_ba;
}

QByteArray SimCompletion::streamBody() const
{
    QByteArray out = roleChunk();
    for (qint64 i = 0; i < outputTokens; ++i)
        out += tokenChunk(i);
    return out + finalChunk() + doneChunk();
}

QByteArray SimCompletion::jsonBody() const
{
    GoJsonWriter w;
    w.beginObject();
    if (endpoint == SimEndpoint::Embeddings) {
        w.key(u"model").str(model);
        w.key(u"object").str(u"list");
        writeUsage(w);
        w.key(u"data").beginArray().beginObject();
        w.key(u"embedding").beginArray();
        for (quint32 i = 0; i < 16; ++i)
            w.real(double(qint32(mix(seed + i) % 20001) - 10000) / 10000.0);
        w.endArray();
        w.key(u"index").integer(0);
        w.key(u"object").str(u"embedding");
        w.endObject().endArray();
        w.endObject();
        return w.take();
    }
    QString text;
    for (qint64 i = 0; i < outputTokens; ++i)
        text += tokenText(i);
    const bool chat = endpoint == SimEndpoint::ChatCompletions;
    w.key(u"choices").beginArray().beginObject();
    w.key(u"finish_reason").str(u"stop");
    w.key(u"index").integer(0);
    if (chat) {
        w.key(u"message").beginObject().key(u"role").str(u"assistant").key(u"content").str(text).endObject();
    } else {
        w.key(u"text").str(text);
        w.key(u"logprobs").null();
    }
    w.endObject().endArray();
    w.key(u"created").integer(created);
    w.key(u"id").str(completionId());
    w.key(u"model").str(model);
    w.key(u"object").str(chat ? u"chat.completion" : u"text_completion");
    writeUsage(w);
    if (timings)
        writeTimings(w);
    w.endObject();
    return w.take();
}

qint64 SimCompletion::estimatedBodySize() const
{
    if (endpoint == SimEndpoint::Embeddings)
        return 400;
    return stream ? 520 + outputTokens * 190 : 520 + outputTokens * 7;
}

void SimCompletion::fillRow(SimActivityRow &row) const
{
    row.outputTokens = outputTokens;
    row.draftTokens = -1;
    row.draftAcceptedTokens = -1;
    if (endpoint == SimEndpoint::Embeddings || !timings) {
        // usage only: no cache figure, no speeds
        row.inputTokens = promptTokens;
        row.outputTokens = endpoint == SimEndpoint::Embeddings ? 0 : outputTokens;
        row.cacheTokens = -1;
        row.promptPerSecond = -1;
        row.tokensPerSecond = -1;
        return;
    }
    row.inputTokens = promptProcessed();
    row.cacheTokens = cacheTokens;
    row.promptPerSecond = promptPerSecond();
    row.tokensPerSecond = predictedPerSecond();
    if (speculative) {
        row.draftTokens = draftTokens();
        row.draftAcceptedTokens = draftAccepted();
    }
}

} // namespace boo
