#pragma once

#include <QString>

namespace boo {

// Prompts of about N tokens, the same for the same (seed, tokens, index) on every machine, so
// that two runs of a suite send the same text. Words come from a fixed list of common English
// words (about 4 characters per token with the usual BPE tokenizers, and exactly that in
// llama-swap's estimate and our simulator's). The request index leads the text, so no two
// requests of a cell share a prefix the host could serve from its KV cache.
class SyntheticPrompt final
{
public:
    static constexpr int CharactersPerToken = 4;

    static QString make(quint32 seed, int tokens, int index);
};

} // namespace boo
