#pragma once

#include <QMap>
#include <QString>

#include <optional>

namespace boo {

// What a model serves, as far as the gateway can tell: chat and completions (generative),
// embeddings, reranking, or unknown.
enum class ModelKind { Unknown, Generative, Embedding, Reranker };

struct ModelKindVerdict
{
    ModelKind kind = ModelKind::Unknown;
    QString basis; // why: "the host reports function_calling", "judged by its name", ...
};

// Judges a host's model for wildcard candidates (docs/gateway.md, "Ranking"), most reliable
// source first:
//  1. what the gateway learned: the model answered /v1/embeddings (it embeds) or refused it;
//  2. the host's own `capabilities` (modelStatus, /v1/models): function_calling, vision, audio
//     or image abilities make a generative model, `reranker` a reranker. llama-swap has no key
//     for embeddings, so capabilities can say that a model does *not* embed, never that it does;
//  3. the name (`embed`, `bge-`, `nomic`, ...), only when nothing above decided.
// A model that refused embeddings (`learnedEmbeds` false) is judged on 2 and 3: the ranker keeps
// it away from embeddings itself, and for chat the refusal says nothing.
class ModelKindJudge final
{
public:
    static ModelKindVerdict judge(const QString &modelId, const QMap<QString, bool> &capabilities, std::optional<bool> learnedEmbeds);
    static bool looksLikeEmbeddingModel(const QString &modelId);
};

} // namespace boo
