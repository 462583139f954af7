#include "core/protocol/protocolgeneration.h"

namespace boo {

QString protocolGenerationName(ProtocolGeneration generation)
{
    return enumNameString(kProtocolGenerationNames, generation);
}

} // namespace boo
