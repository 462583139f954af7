#include "views/hostcard.h"

#include "models/formatting.h"
#include "views/cockpitpalette.h"
#include "views/sparkline.h"
#include "views/statechip.h"
#include "views/usagebar.h"

#include <QEvent>
#include <QGraphicsOpacityEffect>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

QLabel *mutedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString livenessText(Liveness liveness)
{
    switch (liveness) {
    case Liveness::Connected: return HostCard::tr("connected");
    case Liveness::Reconnecting: return HostCard::tr("reconnecting");
    case Liveness::Down: return HostCard::tr("down");
    }
    return {};
}

QString stateText(const HostedModel &m)
{
    switch (m.state) {
    case ModelState::Stopped: return HostCard::tr("stopped");
    case ModelState::Starting: return HostCard::tr("starting");
    case ModelState::Ready: return HostCard::tr("ready");
    case ModelState::Stopping: return HostCard::tr("stopping");
    case ModelState::Shutdown: return HostCard::tr("shut down");
    case ModelState::None: return HostCard::tr("peer");
    case ModelState::Unknown: return m.stateText;
    }
    return m.stateText;
}

QString clock(qint64 seconds)
{
    if (seconds >= 3600)
        return u"%1:%2:%3"_s.arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QChar(u'0')).arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
}

} // namespace

HostCard::HostCard(QWidget *parent)
    : QFrame(parent)
    , m_name(new QLabel(this))
    , m_gap(new StateChip(this))
    , m_acknowledgeGap(new QToolButton(this))
    , m_liveness(new StateChip(this))
    , m_menuButton(new QToolButton(this))
    , m_subtitle(mutedLabel(this))
    , m_status(mutedLabel(this))
    , m_body(new QWidget(this))
    , m_modelGrid(new QGridLayout)
    , m_gpuGrid(new QGridLayout)
    , m_noModels(new QLabel(tr("No models reported yet."), m_body))
    , m_inflight(new QLabel(m_body))
    , m_sparkline(new Sparkline(m_body))
    , m_rate(new QLabel(m_body))
    , m_job(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);

    QFont title = m_name->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.2);
    m_name->setFont(title);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_gap->setState(tr("gap suspected"), CockpitPalette::Tone::Warning);
    m_gap->setToolTip(tr("Requests may be missing from this host's history: it restarted, or its activity buffer "
                         "moved past what was stored while BooControl could not reach it."));
    m_acknowledgeGap->setText(tr("Acknowledge"));
    m_acknowledgeGap->setToolTip(tr("Clear the gap badge: you have seen that requests may be missing from this host's history. "
                                    "A later loss sets it again."));
    m_acknowledgeGap->setAutoRaise(true);
    m_acknowledgeGap->setObjectName(u"acknowledgeGap"_s);
    connect(m_acknowledgeGap, &QToolButton::clicked, this, [this] { Q_EMIT gapAcknowledged(m_host.id); });
    m_menuButton->setText(tr("Actions"));
    m_menuButton->setPopupMode(QToolButton::InstantPopup);
    m_menuButton->setAutoRaise(true);
    m_menuButton->setMenu(new QMenu(m_menuButton));
    // Built when it opens: the in-flight list changes all the time, an open menu must not.
    connect(m_menuButton->menu(), &QMenu::aboutToShow, this, &HostCard::refreshHeaderMenu);
    m_status->setWordWrap(true);
    m_job->setWordWrap(true);
    m_inflight->setObjectName(u"inflight"_s);
    m_rate->setObjectName(u"requestRate"_s);

    auto *header = new QHBoxLayout;
    header->addWidget(m_name, 1);
    header->addWidget(m_gap);
    header->addWidget(m_acknowledgeGap);
    header->addWidget(m_liveness);
    header->addWidget(m_menuButton);

    m_modelGrid->setColumnStretch(1, 1);
    m_modelGrid->setHorizontalSpacing(8);
    m_modelGrid->setVerticalSpacing(2);
    m_gpuGrid->setColumnStretch(1, 1);
    m_gpuGrid->setHorizontalSpacing(8);
    m_gpuGrid->setVerticalSpacing(2);

    auto *footer = new QHBoxLayout;
    footer->addWidget(m_inflight);
    footer->addWidget(m_sparkline, 1);
    footer->addWidget(m_rate);

    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    body->addLayout(m_modelGrid);
    body->addWidget(m_noModels);
    body->addSpacing(4);
    body->addLayout(m_gpuGrid);
    body->addSpacing(4);
    body->addLayout(footer);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_status);
    layout->addSpacing(4);
    layout->addWidget(m_body);
    layout->addWidget(m_job);
    layout->addStretch(1);
}

QSize HostCard::sizeHint() const
{
    return {kWidth, QFrame::sizeHint().height()};
}

void HostCard::setHost(const HostState &host, const QList<ActionJob> &jobs, qint64 nowMs)
{
    const bool newHost = host.id != m_host.id;
    m_host = host;
    m_jobs = jobs;
    m_now = nowMs;
    setObjectName(u"hostcard-"_s + host.id);
    QStringList modelIds;
    for (const HostedModel &m : shownModels())
        modelIds << m.id;
    QList<int> gpuIds;
    for (const GpuSample &g : host.gpus)
        gpuIds << g.id;
    if (newHost || modelIds != m_modelIds) {
        m_modelIds = modelIds;
        rebuildModels();
    }
    if (newHost || gpuIds != m_gpuIds) {
        m_gpuIds = gpuIds;
        rebuildGpus();
    }
    refresh();
}

void HostCard::tick(qint64 nowMs)
{
    m_now = nowMs;
    refresh();
}

QList<HostedModel> HostCard::shownModels() const
{
    QList<HostedModel> shown;
    // Unlisted models are hidden from clients; they are shown only while they hold memory.
    for (const HostedModel &m : m_host.models) {
        if (!m.unlisted || m.isLoaded())
            shown << m;
    }
    return shown;
}

void HostCard::rebuildModels()
{
    for (const ModelRow &row : std::as_const(m_modelRows)) {
        delete row.chip;
        delete row.name;
        delete row.detail;
        delete row.actions;
    }
    m_modelRows.clear();
    int r = 0;
    for (const QString &id : std::as_const(m_modelIds)) {
        ModelRow row{new StateChip(m_body), new QLabel(id, m_body), mutedLabel(m_body), new QToolButton(m_body)};
        row.name->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row.actions->setText(u"\u22ef"_s);
        row.actions->setToolTip(tr("Actions for %1").arg(id));
        row.actions->setAutoRaise(true);
        row.actions->setPopupMode(QToolButton::InstantPopup);
        row.actions->setStyleSheet(u"QToolButton::menu-indicator { image: none; width: 0px; }"_s);
        auto *menu = new QMenu(row.actions);
        QAction *warm = menu->addAction(tr("Warm (1-token completion)"), this, [this, id] { request(HostAction::Kind::Warm, id); });
        QAction *unload = menu->addAction(tr("Unload"), this, [this, id] { request(HostAction::Kind::Unload, id); });
        warm->setObjectName(u"warm"_s);
        unload->setObjectName(u"unload"_s);
        row.actions->setMenu(menu);
        m_modelGrid->addWidget(row.chip, r, 0);
        m_modelGrid->addWidget(row.name, r, 1);
        m_modelGrid->addWidget(row.detail, r, 2);
        m_modelGrid->addWidget(row.actions, r, 3);
        m_modelRows.insert(id, row);
        ++r;
    }
    m_noModels->setVisible(m_modelIds.isEmpty());
    m_mutedApplied = QColor(); // the new labels take the muted colour on the next refresh
}

void HostCard::rebuildGpus()
{
    for (const GpuRow &row : std::as_const(m_gpuRows)) {
        delete row.title;
        delete row.vram;
        delete row.stats;
    }
    m_gpuRows.clear();
    for (int i = 0; i < m_gpuIds.size(); ++i) {
        GpuRow row{new QLabel(m_body), new UsageBar(m_body), mutedLabel(m_body)};
        m_gpuGrid->addWidget(row.title, 2 * i, 0);
        m_gpuGrid->addWidget(row.vram, 2 * i, 1);
        m_gpuGrid->addWidget(row.stats, 2 * i + 1, 1);
        m_gpuRows << row;
    }
    m_mutedApplied = QColor();
}

QString HostCard::modelDetail(const HostedModel &m) const
{
    QStringList parts;
    if (!m.peerId.isEmpty())
        parts << tr("on peer %1").arg(m.peerId);
    if (m.state == ModelState::Ready) {
        // v251+ hosts say how long a model has been ready.
        if (const auto up = m.uptimeMs(m_now))
            parts << tr("up %1").arg(formatting::duration(*up));
        if (const auto left = m.ttlRemainingSeconds(m_now))
            parts << tr("TTL %1").arg(clock(*left));
        else if (m.ttlSeconds && *m.ttlSeconds == 0)
            parts << tr("no TTL");
    } else if (m.state == ModelState::Starting) {
        parts << tr("loading %1").arg(formatting::duration(std::max<qint64>(0, m_now - m.stateSinceMs)));
    } else if (m.state == ModelState::Stopped && m.lastUsedMs) {
        parts << tr("used %1").arg(formatting::ago(*m.lastUsedMs, m_now));
    }
    // Requests for a model that is not ready yet wait for llama-swap to load it.
    if (m.inflight > 0)
        parts << (m.state == ModelState::Ready ? tr("%n running", nullptr, m.inflight) : tr("%n waiting", nullptr, m.inflight));
    return parts.join(u" · "_s);
}

void HostCard::refresh()
{
    const QColor muted = CockpitPalette::muted(palette());
    if (muted != m_mutedApplied) {
        m_mutedApplied = muted;
        for (QLabel *label : findChildren<QLabel *>()) {
            if (label->textInteractionFlags() & Qt::TextSelectableByMouse && label != m_name) {
                QPalette lp = label->palette();
                lp.setColor(QPalette::WindowText, muted);
                label->setPalette(lp);
            }
        }
    }

    m_name->setText(m_host.name.isEmpty() ? m_host.id : m_host.name);
    m_liveness->setState(livenessText(m_host.liveness), CockpitPalette::toneFor(m_host.liveness));
    m_gap->setVisible(m_host.gapSuspected);
    m_acknowledgeGap->setVisible(m_host.gapSuspected);
    m_acknowledgeGap->setEnabled(m_host.gapSuspected);
    QStringList subtitle;
    if (!m_host.version.isEmpty())
        subtitle << tr("llama-swap %1").arg(m_host.version);
    subtitle << m_host.baseUrl;
    m_subtitle->setText(subtitle.join(u" · "_s));

    const bool down = m_host.liveness == Liveness::Down;
    QString status;
    if (m_host.liveness != Liveness::Connected) {
        status = m_host.lastSeenMs ? tr("last seen %1").arg(formatting::ago(*m_host.lastSeenMs, m_now)) : tr("never reached");
        if (!m_host.lastError.isEmpty())
            status += u" · "_s + m_host.lastError;
    }
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());
    // A down host shows what it last had, greyed: it may be stale.
    if (down && !m_body->graphicsEffect()) {
        auto *fade = new QGraphicsOpacityEffect(m_body);
        fade->setOpacity(0.45);
        m_body->setGraphicsEffect(fade);
    } else if (!down && m_body->graphicsEffect()) {
        m_body->setGraphicsEffect(nullptr);
    }

    for (const HostedModel &m : shownModels()) {
        const ModelRow row = m_modelRows.value(m.id);
        if (!row.chip)
            continue;
        row.chip->setState(stateText(m), CockpitPalette::toneFor(m.state));
        row.detail->setText(modelDetail(m));
        row.detail->setToolTip(m.state == ModelState::Ready && m.readySinceMs
                                   ? tr("Ready since %1 (by the host's clock)").arg(formatting::timestamp(*m.readySinceMs))
                                   : QString());
        row.name->setToolTip(m.name.isEmpty() || m.name == m.id ? m.id : u"%1 (%2)"_s.arg(m.name, m.id));
        const bool local = m.peerId.isEmpty() && !down;
        for (QAction *action : row.actions->menu()->actions()) {
            if (action->objectName() == u"unload"_s)
                action->setEnabled(local && m.isLoaded());
            else
                action->setEnabled(local);
        }
        row.actions->setEnabled(local);
    }

    for (int i = 0; i < m_gpuRows.size() && i < m_host.gpus.size(); ++i) {
        const GpuSample &g = m_host.gpus.at(i);
        const GpuRow &row = m_gpuRows.at(i);
        row.title->setText(tr("GPU %1").arg(g.id));
        row.title->setToolTip(g.name);
        row.vram->setUsage(double(g.memUsedMb), double(g.memTotalMb),
                           tr("%1 / %2").arg(formatting::megabytes(g.memUsedMb), formatting::megabytes(g.memTotalMb)));
        row.vram->setToolTip(tr("%1: VRAM used / total").arg(g.name));
        // Unified-memory machines (Apple) report neither temperature nor power: leave them out.
        QStringList stats;
        if (g.tempC > 0)
            stats << tr("%1 °C").arg(g.tempC);
        if (g.powerDrawW > 0)
            stats << tr("%1 W").arg(QLocale().toString(g.powerDrawW, 'f', 0));
        stats << tr("%1 % busy").arg(QLocale().toString(g.gpuUtilPct, 'f', 0));
        row.stats->setText(stats.join(u" · "_s));
    }

    const QList<int> rate = m_host.requestRateAt(m_now);
    m_sparkline->setValues(rate);
    m_inflight->setText(tr("%n in flight", nullptr, int(m_host.inflightCount)));
    m_rate->setText(formatting::requestRate(m_host.rateAt(m_now).requests));
    m_rate->setToolTip(tr("Requests finished in the last 60 s"));

    m_job->setText(jobText());
    m_job->setVisible(!m_job->text().isEmpty());
    m_menuButton->setEnabled(m_host.liveness != Liveness::Down);
}

QString HostCard::jobText() const
{
    const auto running = std::find_if(m_jobs.cbegin(), m_jobs.cend(), [](const ActionJob &j) { return !j.isFinished(); });
    const qsizetype waiting
        = std::count_if(m_jobs.cbegin(), m_jobs.cend(), [](const ActionJob &j) { return j.state == ActionJob::State::Queued; });
    auto what = [](const HostAction &a) {
        switch (a.kind) {
        case HostAction::Kind::Warm: return tr("warm %1").arg(a.model);
        case HostAction::Kind::Unload: return tr("unload %1").arg(a.model);
        case HostAction::Kind::UnloadAll: return tr("unload all");
        case HostAction::Kind::Cancel: return tr("cancel request %1").arg(a.requestId);
        }
        return QString();
    };
    if (running != m_jobs.cend()) {
        QString text = running->state == ActionJob::State::Running
            ? tr("Running: %1 (%2)").arg(what(running->action), formatting::duration(std::max<qint64>(0, m_now - running->atMs)))
            : tr("Queued: %1").arg(what(running->action));
        if (waiting > (running->state == ActionJob::State::Queued ? 1 : 0))
            text += u" · "_s + tr("%n waiting", nullptr, int(waiting));
        return text;
    }
    for (const ActionJob &job : m_jobs) {
        if (!job.isFinished() || m_now - job.atMs > kResultShownMs)
            continue;
        const bool ok = job.state == ActionJob::State::Succeeded;
        const QString verdict = ok ? tr("done") : job.state == ActionJob::State::Skipped ? tr("skipped") : tr("failed");
        QString text = tr("Last action: %1 %2").arg(what(job.action), verdict);
        if (!job.message.isEmpty())
            text += u" · "_s + job.message;
        return text;
    }
    return {};
}

void HostCard::refreshHeaderMenu()
{
    QMenu *menu = m_menuButton->menu();
    menu->clear();
    const bool down = m_host.liveness == Liveness::Down;
    const bool anyLoaded = std::any_of(m_host.models.cbegin(), m_host.models.cend(), [](const HostedModel &m) { return m.isLoaded(); });
    menu->addAction(tr("Unload all models"), this, [this] { request(HostAction::Kind::UnloadAll); })->setEnabled(!down && anyLoaded);
    QMenu *cancel = menu->addMenu(tr("Cancel in-flight request"));
    for (const InFlightRequest &r : m_host.inflight) {
        const QString label = tr("%1 %2 (%3)").arg(r.model, r.reqPath, formatting::duration(std::max<qint64>(0, m_now - r.timestampMs)));
        cancel->addAction(label, this, [this, id = r.id] { request(HostAction::Kind::Cancel, {}, id); });
    }
    cancel->setEnabled(!down && !m_host.inflight.isEmpty());
}

void HostCard::request(HostAction::Kind kind, const QString &model, const QString &requestId)
{
    HostAction action;
    action.hostId = m_host.id;
    action.kind = kind;
    action.model = model;
    action.requestId = requestId;
    Q_EMIT actionRequested(action);
}

void HostCard::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_host.id.isEmpty())
        refresh();
}

} // namespace boo
