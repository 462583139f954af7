#include "views/fleetsummarystrip.h"

#include "models/fleetmodel.h"
#include "models/formatting.h"
#include "views/cockpitpalette.h"
#include "views/flowlayout.h"
#include "views/sparkline.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

void keep(QList<int> &samples, int value)
{
    samples.append(value);
    if (samples.size() > FleetSummaryStrip::kSamplesKept)
        samples.remove(0, samples.size() - FleetSummaryStrip::kSamplesKept);
}

QString gigabytes(qint64 mb)
{
    return QLocale().toString(double(mb) / 1024.0, 'f', 1);
}

} // namespace

FleetSummaryStrip::FleetSummaryStrip(QAbstractItemModel *fleetModel, QWidget *parent)
    : QWidget(parent)
    , m_model(fleetModel)
{
    setObjectName(u"fleetSummary"_s);
    // Tiles wrap like the cards below them, so that the strip never makes the window wider.
    auto *layout = new FlowLayout(this, 6);
    layout->setContentsMargins(0, 0, 0, 0);
    using Scope = FleetFilterProxy::Scope;
    addTile(u"hosts"_s, tr("Hosts"), Scope::AllHosts, false, tr("Every host (click: show all cards)"));
    addTile(u"attention"_s, tr("Need attention"), Scope::NeedsAttention, false,
            tr("Hosts not connected or with a suspected gap in their history; alerts standing now "
               "(hosts down, GPUs over the VRAM or temperature threshold). Click: only these hosts"));
    addTile(u"requests"_s, tr("Requests"), Scope::Serving, true,
            tr("Requests finished in the last 60 s, across the fleet. Click: only hosts serving requests"));
    addTile(u"tokens"_s, tr("Output tokens"), Scope::Serving, true,
            tr("Generated tokens of the requests finished in the last 60 s, per second. Click: only hosts serving requests"));
    addTile(u"models"_s, tr("Models loaded"), Scope::ModelsLoaded, false,
            tr("Models starting or ready on hosts that are up. Click: only hosts with loaded models"));
    addTile(u"vram"_s, tr("VRAM"), Scope::ModelsLoaded, true,
            tr("VRAM used of total on the GPUs of hosts that are up. Click: only hosts with loaded models"));

    m_byName.value(u"requests"_s).sparkline->setDescription(tr("Requests per minute of the fleet, last 30 minutes"));
    m_byName.value(u"tokens"_s).sparkline->setDescription(tr("Output tokens per second, sampled every 10 s"));
    m_byName.value(u"vram"_s).sparkline->setDescription(tr("VRAM used in %, sampled every 10 s"));

    connect(m_model, &QAbstractItemModel::modelReset, this, &FleetSummaryStrip::refresh);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FleetSummaryStrip::refresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &FleetSummaryStrip::refresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &FleetSummaryStrip::refresh);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &FleetSummaryStrip::refresh);
    m_tick.start();
    m_sampler.setInterval(kSampleMs);
    connect(&m_sampler, &QTimer::timeout, this, &FleetSummaryStrip::sample);
    m_sampler.start();
    refresh();
    sample();
}

FleetSummaryStrip::Tile FleetSummaryStrip::addTile(const QString &name, const QString &title, FleetFilterProxy::Scope scope,
                                                   bool withSparkline, const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setObjectName(u"summary-"_s + name);
    button->setCheckable(true);
    button->setAutoRaise(true);
    button->setToolTip(toolTip);
    button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto *column = new QVBoxLayout(button);
    column->setSizeConstraint(QLayout::SetMinimumSize); // grows with the texts it shows
    column->setContentsMargins(8, 4, 8, 4);
    column->setSpacing(0);
    auto *caption = new QLabel(title, button);
    QFont small = caption->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    caption->setFont(small);
    auto *value = new QLabel(button);
    value->setObjectName(u"value"_s);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    value->setFont(big);
    auto *detail = new QLabel(button);
    detail->setFont(small);
    m_mutedLabels << caption << detail;
    m_mutedApplied = QColor(); // the new labels take the muted colour on the next refresh
    column->addWidget(caption);
    auto *row = new QHBoxLayout;
    row->addWidget(value);
    Tile tile{button, value, detail, scope};
    if (withSparkline) {
        tile.sparkline = new Sparkline(button);
        tile.sparkline->setFixedSize(72, 22);
        row->addWidget(tile.sparkline);
    }
    row->addStretch(1);
    column->addLayout(row);
    column->addWidget(detail);
    // The labels are the button's face: clicks on them are clicks on the tile.
    for (QWidget *w : button->findChildren<QWidget *>())
        w->setAttribute(Qt::WA_TransparentForMouseEvents);
    caption->setMinimumWidth(130);
    connect(button, &QToolButton::clicked, this, [this, scope] {
        // The tile in force again: back to every host.
        Q_EMIT scopeRequested(m_scope == scope ? FleetFilterProxy::Scope::AllHosts : scope);
    });
    layout()->addWidget(button);
    if (!m_tiles.contains(int(scope)))
        m_tiles.insert(int(scope), button);
    m_byName.insert(name, tile);
    return tile;
}

QLabel *FleetSummaryStrip::value(const QString &name) const
{
    return m_byName.value(name).value;
}

void FleetSummaryStrip::setThresholds(const FleetSummary::Thresholds &thresholds)
{
    m_thresholds = thresholds;
    refresh();
}

void FleetSummaryStrip::setScope(FleetFilterProxy::Scope scope)
{
    m_scope = scope;
    // "Every host" is no filter to show as in force; tiles sharing a scope show it together.
    for (const Tile &tile : std::as_const(m_byName))
        tile.button->setChecked(scope != FleetFilterProxy::Scope::AllHosts && tile.scope == scope);
}

void FleetSummaryStrip::refresh()
{
    QList<HostState> hosts;
    for (int row = 0; row < m_model->rowCount(); ++row)
        hosts << m_model->index(row, 0).data(FleetModel::HostStateRole).value<HostState>();
    // Secondary text in the palette's muted tone, as on the cards (light and dark).
    const QColor muted = CockpitPalette::muted(palette());
    if (muted != m_mutedApplied) {
        m_mutedApplied = muted;
        for (QLabel *label : std::as_const(m_mutedLabels)) {
            QPalette lp = label->palette();
            lp.setColor(QPalette::WindowText, muted);
            label->setPalette(lp);
        }
    }
    FleetSummary fresh = FleetSummary::of(hosts, QDateTime::currentMSecsSinceEpoch(), m_thresholds);
    const bool changed = fresh != m_summary;
    m_summary = std::move(fresh);
    const FleetSummary &s = m_summary;

    Tile t = m_byName.value(u"hosts"_s);
    t.value->setText(tr("%1/%2 up").arg(s.hostsUp).arg(s.hosts));
    t.detail->setText(tr("%1 down · %2 reconnecting").arg(s.hostsDown).arg(s.hostsReconnecting));

    t = m_byName.value(u"attention"_s);
    t.value->setText(QLocale().toString(s.hostsNeedingAttention));
    t.detail->setText(tr("%n gap(s)", nullptr, s.gapsSuspected) + u" · "_s + tr("%n alert(s)", nullptr, s.alerts));

    t = m_byName.value(u"requests"_s);
    t.value->setText(formatting::requestRate(s.rate.requests));
    t.detail->setText(tr("%1/s · %2 in flight").arg(QLocale().toString(s.rate.requestsPerSecond(), 'f', 1)).arg(s.inflight));
    t.sparkline->setValues(s.requestsPerMinute);

    t = m_byName.value(u"tokens"_s);
    t.value->setText(formatting::tokenRate(s.rate.outputTokensPerSecond()));
    t.detail->setText(tr("%1 in · %2 out in 60 s").arg(QLocale().toString(s.rate.inputTokens), QLocale().toString(s.rate.outputTokens)));

    t = m_byName.value(u"models"_s);
    t.value->setText(QLocale().toString(s.modelsLoaded));
    t.detail->setText(tr("on %n host(s) up", nullptr, s.hostsUp));

    t = m_byName.value(u"vram"_s);
    t.value->setText(tr("%1 / %2 GB").arg(gigabytes(s.vramUsedMb), gigabytes(s.vramTotalMb)));
    t.detail->setText(tr("%1 % · %n GPU(s)", nullptr, s.gpus).arg(QLocale().toString(s.vramPercent(), 'f', 0)));
    if (changed)
        Q_EMIT summaryChanged();
}

void FleetSummaryStrip::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        refresh(); // the muted tone of the captions follows a light or dark palette at once
}

void FleetSummaryStrip::sample()
{
    keep(m_tokenSamples, int(m_summary.rate.outputTokensPerSecond() + 0.5));
    keep(m_vramSamples, int(m_summary.vramPercent() + 0.5));
    m_byName.value(u"tokens"_s).sparkline->setValues(m_tokenSamples);
    m_byName.value(u"vram"_s).sparkline->setValues(m_vramSamples);
}

} // namespace boo
