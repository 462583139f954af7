#include "core/http/httppath.h"

#include "core/common/hexdigit.h"

#include <iterator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr QLatin1StringView kMessages[] = {
    "no error"_L1,
    "the path must start with '/'"_L1,
    "malformed percent-encoding in path"_L1,
    "the path has a '.' or '..' segment"_L1,
    "the path has an encoded '/' or a backslash"_L1,
    "the path has an encoded control character"_L1,
};
static_assert(std::size(kMessages) == size_t(HttpPath::Error::ControlCharacter) + 1);

// Checks one raw segment; *dot is set when it decodes to "." or "..".
HttpPath::Error checkSegment(QByteArrayView segment)
{
    qsizetype decodedSize = 0;
    bool allDots = true;
    for (qsizetype i = 0; i < segment.size(); ++i) {
        char c = segment[i];
        if (c == '%') {
            if (i + 2 >= segment.size())
                return HttpPath::Error::BadEscape;
            const int hi = hexDigitValue(segment[i + 1]);
            const int lo = hexDigitValue(segment[i + 2]);
            if (hi < 0 || lo < 0)
                return HttpPath::Error::BadEscape;
            c = char(hi * 16 + lo);
            i += 2;
            if (c == '/' || c == '\\')
                return HttpPath::Error::EncodedSlash;
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7f)
                return HttpPath::Error::ControlCharacter;
        } else if (c == '\\') {
            return HttpPath::Error::EncodedSlash;
        }
        allDots = allDots && c == '.';
        ++decodedSize;
    }
    if (allDots && (decodedSize == 1 || decodedSize == 2))
        return HttpPath::Error::DotSegment;
    return HttpPath::Error::None;
}

} // namespace

QLatin1StringView HttpPath::message(Error error)
{
    return kMessages[size_t(error)];
}

HttpPath::Normalised HttpPath::normalise(QByteArrayView rawPath)
{
    if (rawPath == "*")
        return {QByteArray("*"), Error::None};
    if (!rawPath.startsWith('/'))
        return {{}, Error::NotAbsolute};
    QByteArray out;
    out.reserve(rawPath.size());
    qsizetype pos = 1;
    while (pos <= rawPath.size()) {
        qsizetype slash = rawPath.indexOf('/', pos);
        if (slash < 0)
            slash = rawPath.size();
        const QByteArrayView segment = rawPath.sliced(pos, slash - pos);
        pos = slash + 1;
        if (segment.isEmpty())
            continue;
        if (const Error e = checkSegment(segment); e != Error::None)
            return {{}, e};
        out += '/';
        out += segment;
    }
    // A trailing slash is part of the name ("/ui/" is not "/ui"); "//" collapses to "/".
    if (rawPath.endsWith('/'))
        out += '/';
    return {out, Error::None};
}

} // namespace boo
