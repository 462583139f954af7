#include "models/logfeed.h"

#include "core/actions/logstreamreader.h"
#include "core/client/cockpitbackend.h"
#include "core/fleet/fleetstate.h"
#include "models/logmodel.h"

using namespace Qt::StringLiterals;

namespace boo {

LogFeed::LogFeed(CockpitBackend *backend, LogModel *model, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_model(model)
{
    m_reopenTimer.setSingleShot(true);
    m_reopenTimer.setInterval(kReopenDelayMs);
    connect(&m_reopenTimer, &QTimer::timeout, this, &LogFeed::openStream);
    connect(backend->fleet(), &FleetState::changed, this, &LogFeed::onChanged);
    connect(backend->fleet(), &FleetState::reset, this, [this] {
        if (isFleetSource(m_source))
            reloadTail();
    });
}

LogFeed::~LogFeed()
{
    delete m_reader;
}

bool LogFeed::isFleetSource(const QString &source)
{
    return source == u"proxy"_s || source == u"upstream"_s;
}

void LogFeed::setSource(const QString &hostId, const QString &source)
{
    if (hostId == m_hostId && source == m_source)
        return;
    m_hostId = hostId;
    m_source = source;
    m_reopenTimer.stop();
    delete m_reader;
    setProblem({});
    if (hostId.isEmpty() || source.isEmpty()) {
        m_model->clear();
        return;
    }
    if (isFleetSource(source)) {
        reloadTail();
        return;
    }
    m_model->clear();
    openStream();
}

void LogFeed::reloadTail()
{
    m_model->setLines(m_backend->fleet()->logTail(m_hostId, m_source));
}

void LogFeed::onChanged(const FleetDelta &delta)
{
    const auto *log = delta.as<LogAppended>();
    if (!log || delta.hostId != m_hostId || log->source != m_source)
        return;
    if (log->replace)
        m_model->setLines(log->lines);
    else
        m_model->appendLines(log->lines);
}

void LogFeed::openStream()
{
    if (!m_backend || m_hostId.isEmpty() || isFleetSource(m_source))
        return;
    auto reader = m_backend->openModelLog(m_hostId, m_source, this);
    if (!reader) {
        setProblem(reader.error().message);
        m_reopenTimer.start();
        return;
    }
    m_reader = *reader;
    bool first = true;
    connect(m_reader, &LogStreamReader::linesReceived, this, [this, first](const QList<LogLine> &lines) mutable {
        setProblem({});
        // A reopened stream starts with the model's history again: it replaces what we show.
        if (first)
            m_model->setLines(lines);
        else
            m_model->appendLines(lines);
        first = false;
    });
    connect(m_reader, &LogStreamReader::ended, this, [this](const QString &error) {
        m_reader->deleteLater();
        setProblem(error.isEmpty() ? tr("the log stream ended; reopening") : tr("log stream: %1").arg(error));
        m_reopenTimer.start();
    });
}

void LogFeed::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged(problem);
}

} // namespace boo
