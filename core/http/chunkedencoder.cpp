#include "core/http/chunkedencoder.h"

#include <bit>
#include <cstring>

namespace boo {

void ChunkedEncoder::appendChunk(QByteArray &out, QByteArrayView data)
{
    if (data.isEmpty())
        return;
    auto size = quint64(data.size());
    const int digits = (std::bit_width(size) + 3) / 4;
    const qsizetype at = out.size();
    out.resize(at + digits + 2 + data.size() + 2);
    char *p = out.data() + at;
    for (int i = digits - 1; i >= 0; --i, size >>= 4)
        p[i] = "0123456789abcdef"[size & 0xf];
    p += digits;
    *p++ = '\r';
    *p++ = '\n';
    std::memcpy(p, data.data(), size_t(data.size()));
    p += data.size();
    *p++ = '\r';
    *p = '\n';
}

} // namespace boo
