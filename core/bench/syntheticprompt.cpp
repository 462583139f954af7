#include "core/bench/syntheticprompt.h"

#include <array>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr std::array<const char16_t *, 64> kWords{
    u"time",   u"river",  u"stone",  u"light",   u"market", u"garden", u"window", u"engine",  u"paper",  u"winter",  u"signal",
    u"forest", u"bridge", u"letter", u"music",   u"number", u"silver", u"planet", u"harbor",  u"circle", u"memory",  u"table",
    u"summer", u"answer", u"motion", u"village", u"copper", u"thread", u"island", u"camera",  u"season", u"pencil",  u"shadow",
    u"rocket", u"valley", u"yellow", u"morning", u"travel", u"system", u"orange", u"simple",  u"gentle", u"silent",  u"ancient",
    u"bright", u"narrow", u"steady", u"careful", u"quiet",  u"across", u"before", u"behind",  u"around", u"through", u"against",
    u"write",  u"carry",  u"follow", u"measure", u"listen", u"gather", u"repeat", u"explain", u"compare"};

// SplitMix32-style mixing: a cheap, well-spread stream from a seed, the same everywhere (no
// dependence on the standard library's generators, whose sequences differ between vendors).
quint32 mix(quint32 x)
{
    x += 0x9e3779b9U;
    x = (x ^ (x >> 16)) * 0x85ebca6bU;
    x = (x ^ (x >> 13)) * 0xc2b2ae35U;
    return x ^ (x >> 16);
}

} // namespace

QString SyntheticPrompt::make(quint32 seed, int tokens, int index)
{
    const int targetChars = qMax(1, tokens) * CharactersPerToken;
    QString text;
    text.reserve(targetChars + 16);
    text += u"Request %1. "_s.arg(index);
    quint32 state = mix(seed ^ mix(quint32(tokens)) ^ mix(quint32(index) * 0x27d4eb2dU));
    int wordsInSentence = 0;
    while (text.size() < targetChars) {
        state = mix(state);
        QString word = QString::fromUtf16(kWords[state % kWords.size()]);
        if (wordsInSentence == 0)
            word[0] = word[0].toUpper();
        text += word;
        ++wordsInSentence;
        if (wordsInSentence >= 8 + int((state >> 8) % 8)) {
            text += u". "_s;
            wordsInSentence = 0;
        } else {
            text += u' ';
        }
    }
    text.truncate(targetChars);
    return text;
}

} // namespace boo
