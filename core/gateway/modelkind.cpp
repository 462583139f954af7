#include "core/gateway/modelkind.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace boo {

ModelKindVerdict ModelKindJudge::judge(const QString &modelId, const QMap<QString, bool> &capabilities, std::optional<bool> learnedEmbeds)
{
    if (learnedEmbeds.value_or(false))
        return {ModelKind::Embedding, u"it answered /v1/embeddings before"_s};
    if (capabilities.value(u"reranker"_s))
        return {ModelKind::Reranker, u"the host reports it as a reranker"_s};
    // Keys of llama-swap's renderCapabilities that only a generative model has (reference §2.2).
    QStringList generative;
    for (const QString &key :
         {u"function_calling"_s, u"vision"_s, u"audio_transcriptions"_s, u"audio_speech"_s, u"image_generation"_s, u"image_to_image"_s}) {
        if (capabilities.value(key))
            generative << key;
    }
    if (!generative.isEmpty())
        return {ModelKind::Generative, u"the host reports %1"_s.arg(generative.join(u", "_s))};
    if (looksLikeEmbeddingModel(modelId))
        return {ModelKind::Embedding, u"judged by its name"_s};
    return {ModelKind::Unknown, u"neither the host's capabilities nor its name tell"_s};
}

bool ModelKindJudge::looksLikeEmbeddingModel(const QString &modelId)
{
    const QString id = modelId.toLower();
    for (const char *word : {"embed", "bge-", "nomic", "e5-", "minilm", "gte-"}) {
        if (id.contains(QLatin1StringView(word)))
            return true;
    }
    return false;
}

} // namespace boo
