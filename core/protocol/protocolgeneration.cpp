#include "core/protocol/protocolgeneration.h"

using namespace Qt::StringLiterals;

namespace boo {

QString protocolGenerationName(ProtocolGeneration generation)
{
    switch (generation) {
    case ProtocolGeneration::Current: return u"current"_s;
    case ProtocolGeneration::Paged236to250: return u"v236-v250"_s;
    case ProtocolGeneration::Legacy235: return u"legacy (<= v235)"_s;
    }
    return u"unknown"_s;
}

} // namespace boo
