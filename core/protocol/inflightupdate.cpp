#include "core/protocol/inflightupdate.h"

#include "core/protocol/jsonfields.h"

using namespace Qt::StringLiterals;

namespace boo {

namespace {

const QString Context = u"inflight"_s;

Result<QList<InFlightRequest>> requestList(JsonFields &f)
{
    const QJsonArray requests = f.array(u"requests"_s);
    if (f.failed())
        return f.error();
    return decodeEach(requests, u"inflight request %1"_s, &InFlightRequest::fromJsonObject);
}

} // namespace

Result<InFlightUpdate> InFlightUpdate::fromJsonObject(const QJsonObject &object)
{
    JsonFields f(object, Context);
    InFlightUpdate u;

    if (f.has(u"operation"_s)) {
        const QString operation = f.string(u"operation"_s, JsonFields::Required);
        if (f.failed())
            return f.error();
        const auto parsed = enumFromName(kOperationNames, operation);
        if (!parsed) {
            return makeError(protocolerror::value(),
                             u"inflight: unknown operation \"%1\" (expected %2)"_s.arg(operation.left(64), enumChoices(kOperationNames)));
        }
        u.shape = Shape::Operations;
        u.operation = *parsed;
        switch (u.operation) {
        case Operation::Snapshot: {
            auto requests = requestList(f);
            if (!requests)
                return requests.error();
            u.requests = std::move(*requests);
            u.total = u.requests.size();
            break;
        }
        case Operation::Upsert: {
            const QJsonObject request = f.object(u"request"_s, JsonFields::Required);
            if (f.failed())
                return f.error();
            auto decoded = InFlightRequest::fromJsonObject(request, u"inflight upsert request"_s);
            if (!decoded)
                return decoded.error();
            u.request = std::move(*decoded);
            u.total = 1;
            break;
        }
        case Operation::Remove:
            u.removedId = f.string(u"id"_s, JsonFields::Required);
            if (f.failed())
                return f.error();
            break;
        case Operation::Count: break; // not in the table
        }
        return u;
    }

    if (f.has(u"requests"_s)) {
        u.shape = Shape::FullList;
        u.operation = Operation::Snapshot;
        auto requests = requestList(f);
        if (!requests)
            return requests.error();
        u.requests = std::move(*requests);
        u.total = u.requests.size();
        return u;
    }

    if (f.has(u"total"_s)) {
        u.shape = Shape::Total;
        u.operation = Operation::Count;
        u.total = f.integer(u"total"_s, JsonFields::Required);
        if (f.failed())
            return f.error();
        if (u.total < 0)
            return makeError(protocolerror::value(), u"inflight: field \"total\" is %1, expected a count >= 0"_s.arg(u.total));
        return u;
    }

    return makeError(protocolerror::field(), u"inflight: none of the fields \"operation\", \"requests\" or \"total\" is present"_s);
}

} // namespace boo
