#include "core/http/httpheadreader.h"

#include "core/http/httpsyntax.h"

#include <iterator>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr QLatin1StringView kMessages[] = {
    "no error"_L1,
    "empty head"_L1,
    "line ends must be CRLF"_L1,
    "obsolete line folding"_L1,
    "malformed header field"_L1,
    "malformed header value"_L1,
    "too many header fields"_L1,
};
static_assert(std::size(kMessages) == size_t(HttpHeadReader::Error::TooManyFields) + 1);

} // namespace

QLatin1StringView HttpHeadReader::message(Error error)
{
    return kMessages[size_t(error)];
}

qsizetype HttpHeadReader::findBlankLine(QByteArrayView data, qsizetype from)
{
    for (qsizetype i = qMax<qsizetype>(from, 0); i < data.size(); ++i) {
        if (data[i] != '\n')
            continue;
        if (i + 1 < data.size() && data[i + 1] == '\n')
            return i + 2;
        if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

HttpHeadReader::Error HttpHeadReader::read(QByteArrayView head, qsizetype maxFields, QByteArrayView *startLine, HttpHeaders *fields)
{
    HttpHeaders out;
    QByteArrayView rest = head;
    bool first = true;
    while (!rest.isEmpty()) {
        const qsizetype nl = rest.indexOf('\n');
        if (nl < 1 || rest[nl - 1] != '\r')
            return nl < 0 && first ? Error::Empty : Error::BareLineEnd;
        const QByteArrayView line = rest.first(nl - 1);
        rest = rest.sliced(nl + 1);
        if (line.contains('\r'))
            return Error::BareLineEnd;
        if (line.isEmpty())
            break; // the blank line: the head ends here
        if (first) {
            *startLine = line;
            first = false;
            continue;
        }
        if (httpsyntax::isBlank(line.front()))
            return Error::ObsoleteFold;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !httpsyntax::isToken(line.first(colon)))
            return Error::BadFieldName;
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!httpsyntax::isFieldValue(value))
            return Error::BadFieldValue;
        if (out.size() >= maxFields)
            return Error::TooManyFields;
        out.add(line.first(colon).toByteArray(), value.toByteArray());
    }
    if (first)
        return Error::Empty;
    *fields = std::move(out);
    return Error::None;
}

} // namespace boo
