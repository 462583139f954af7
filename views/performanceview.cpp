#include "views/performanceview.h"

#include "core/fleet/fleetstate.h"
#include "models/formatting.h"
#include "models/perfseriesmodel.h"
#include "models/requestratemodel.h"
#include "views/metricchart.h"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QLabel>
#include <QMap>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kMinute = 60'000;
const QList<std::pair<const char *, qint64>> kRanges{{QT_TRANSLATE_NOOP("boo::PerformanceView", "15 minutes"), 15 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::PerformanceView", "1 hour"), 60 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::PerformanceView", "24 hours"), 24 * 60 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::PerformanceView", "7 days"), 7 * 24 * 60 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::PerformanceView", "Custom\u2026"), -1}};

enum Chart { Vram, Temperature, Power, Utilization, Requests, Tokens };

// A host (and GPU) keeps its colour on every chart, whichever others are shown.
QColor seriesColor(int hostIndex, int gpu)
{
    static const QColor colors[]
        = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd),
           QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf), QColor(0xbc, 0xbd, 0x22)};
    const QColor base = colors[hostIndex % std::size(colors)];
    return gpu == 0 ? base : base.lighter(100 + 35 * gpu);
}

} // namespace

PerformanceView::PerformanceView(PerfSeriesModel *perf, RequestRateModel *rate, FleetState *fleet, QWidget *parent)
    : QWidget(parent)
    , m_perf(perf)
    , m_rate(rate)
    , m_fleet(fleet)
    , m_range(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_hostBar(new QHBoxLayout)
    , m_resolution(new QLabel(this))
{
    for (const auto &[label, span] : kRanges)
        m_range->addItem(tr(label), span);
    m_range->setObjectName(u"perfRange"_s);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(formatting::dateTimeEditFormat());
        edit->setVisible(false);
    }
    m_from->setDateTime(QDateTime::currentDateTime().addDays(-1));
    m_to->setDateTime(QDateTime::currentDateTime());

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_range);
    bar->addWidget(m_from);
    bar->addWidget(m_to);
    bar->addSpacing(16);
    bar->addWidget(new QLabel(tr("Hosts:"), this));
    bar->addLayout(m_hostBar);
    bar->addStretch(1);
    bar->addWidget(m_resolution);

    m_charts = {new MetricChart(tr("VRAM used"), tr("GB"), this),
                new MetricChart(tr("GPU temperature"), tr("°C"), this),
                new MetricChart(tr("GPU power"), tr("W"), this),
                new MetricChart(tr("GPU utilisation"), tr("%"), this),
                new MetricChart(tr("Requests per minute"), tr("req/min"), this),
                new MetricChart(tr("Tokens per minute"), tr("tok/min"), this)};
    auto *grid = new QGridLayout;
    for (int i = 0; i < m_charts.size(); ++i)
        grid->addWidget(m_charts.at(i), i / 2, i % 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    m_redraw.setSingleShot(true);
    m_redraw.setInterval(250);
    connect(&m_redraw, &QTimer::timeout, this, &PerformanceView::redraw);
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(perf), static_cast<QAbstractItemModel *>(rate)}) {
        connect(model, &QAbstractItemModel::modelReset, this, &PerformanceView::scheduleRedraw);
        connect(model, &QAbstractItemModel::rowsInserted, this, &PerformanceView::scheduleRedraw);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &PerformanceView::scheduleRedraw);
        connect(model, &QAbstractItemModel::dataChanged, this, &PerformanceView::scheduleRedraw);
    }
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_range->currentData().toLongLong() < 0;
        m_from->setVisible(custom);
        m_to->setVisible(custom);
        applyRange();
    });
    connect(m_from, &QDateTimeEdit::editingFinished, this, &PerformanceView::applyRange);
    connect(m_to, &QDateTimeEdit::editingFinished, this, &PerformanceView::applyRange);
    connect(fleet, &FleetState::hostAdded, this, &PerformanceView::rebuildHostButtons);
    connect(fleet, &FleetState::hostRemoved, this, &PerformanceView::rebuildHostButtons);
    connect(fleet, &FleetState::reset, this, &PerformanceView::rebuildHostButtons);

    QSettings settings;
    m_hidden = settings.value(u"performance/hiddenHosts"_s).toStringList();
    const int range = settings.value(u"performance/range"_s, 1).toInt();
    m_range->setCurrentIndex(range >= 0 && range < m_range->count() - 1 ? range : 1);
    rebuildHostButtons();
    applyRange();
}

PerformanceView::~PerformanceView()
{
    QSettings settings;
    settings.setValue(u"performance/hiddenHosts"_s, m_hidden);
    settings.setValue(u"performance/range"_s, m_range->currentIndex());
}

QStringList PerformanceView::shownHosts() const
{
    QStringList shown;
    for (const QString &id : m_fleet->hostIds()) {
        if (!m_hidden.contains(id))
            shown << id;
    }
    return shown;
}

void PerformanceView::setHostShown(const QString &hostId, bool shown)
{
    m_hidden.removeAll(hostId);
    if (!shown)
        m_hidden << hostId;
    if (QToolButton *button = m_hostButtons.value(hostId))
        button->setChecked(shown);
    scheduleRedraw();
}

void PerformanceView::rebuildHostButtons()
{
    qDeleteAll(m_hostButtons);
    m_hostButtons.clear();
    for (const QString &id : m_fleet->hostIds()) {
        auto *button = new QToolButton(this);
        const auto view = m_fleet->host(id);
        button->setText(view && !view->name.isEmpty() ? view->name : id);
        button->setCheckable(true);
        button->setChecked(!m_hidden.contains(id));
        button->setToolTip(tr("Show %1 (several hosts on: overlaid for comparison)").arg(id));
        connect(button, &QToolButton::toggled, this, [this, id](bool on) { setHostShown(id, on); });
        m_hostBar->addWidget(button);
        m_hostButtons.insert(id, button);
    }
    scheduleRedraw();
}

void PerformanceView::applyRange()
{
    const qint64 span = m_range->currentData().toLongLong();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (span > 0) {
        m_perf->setRange(now - span, now, true);
        m_rate->setRange(now - span, now, true);
    } else {
        const qint64 from = m_from->dateTime().toMSecsSinceEpoch();
        const qint64 to = std::max(from + kMinute, m_to->dateTime().toMSecsSinceEpoch());
        m_perf->setRange(from, to, false);
        m_rate->setRange(from, to, false);
    }
}

void PerformanceView::refresh()
{
    applyRange();
}

void PerformanceView::focusFilter()
{
    m_range->setFocus(Qt::ShortcutFocusReason);
}

void PerformanceView::scheduleRedraw()
{
    if (!m_redraw.isActive())
        m_redraw.start();
}

void PerformanceView::redraw()
{
    const QStringList shown = shownHosts();
    const QStringList all = m_fleet->hostIds();
    // GPU metrics: one line per host and GPU, read from the model's rows.
    const int columns[] = {PerfSeriesModel::VramUsedColumn, PerfSeriesModel::TemperatureColumn, PerfSeriesModel::PowerColumn,
                           PerfSeriesModel::UtilizationColumn};
    QList<QMap<QString, MetricChart::Series>> gpu(4);
    for (int row = 0; row < m_perf->rowCount(); ++row) {
        const QString host = m_perf->index(row, PerfSeriesModel::HostColumn).data().toString();
        if (!shown.contains(host))
            continue;
        const int gpuId = m_perf->index(row, PerfSeriesModel::GpuColumn).data().toInt();
        const double ts = double(m_perf->index(row, PerfSeriesModel::TimeColumn).data(PerfSeriesModel::ValueRole).toLongLong());
        const QString name = tr("%1 GPU %2").arg(host).arg(gpuId);
        for (int m = 0; m < 4; ++m) {
            const QVariant value = m_perf->index(row, columns[m]).data(PerfSeriesModel::ValueRole);
            if (!value.isValid())
                continue;
            // Apple's unified memory reports no temperature or power (0): leave those out.
            if ((m == Temperature || m == Power) && value.toDouble() <= 0)
                continue;
            MetricChart::Series &series = gpu[m][name];
            series.name = name;
            series.color = seriesColor(int(all.indexOf(host)), gpuId);
            series.points << QPointF(ts, m == Vram ? value.toDouble() / 1024.0 : value.toDouble());
        }
    }
    QMap<QString, MetricChart::Series> requests, tokens;
    for (int row = 0; row < m_rate->rowCount(); ++row) {
        const QString host = m_rate->index(row, RequestRateModel::HostColumn).data().toString();
        if (!shown.contains(host))
            continue;
        const double ts = double(m_rate->index(row, RequestRateModel::TimeColumn).data(RequestRateModel::ValueRole).toLongLong());
        const QColor color = seriesColor(int(all.indexOf(host)), 0);
        MetricChart::Series &r = requests[host];
        r.name = host;
        r.color = color;
        r.points << QPointF(ts, m_rate->index(row, RequestRateModel::RequestsPerMinuteColumn).data().toDouble());
        MetricChart::Series &in = tokens[host + u" in"_s];
        in.name = tr("%1 input").arg(host);
        in.dashed = true;
        in.color = color.lighter(150); // dashed lines alone do not tell single points or legend marks apart
        in.points << QPointF(ts, m_rate->index(row, RequestRateModel::InputTokensPerMinuteColumn).data().toDouble());
        MetricChart::Series &out = tokens[host + u" out"_s];
        out.name = tr("%1 output").arg(host);
        out.color = color;
        out.points << QPointF(ts, m_rate->index(row, RequestRateModel::OutputTokensPerMinuteColumn).data().toDouble());
    }
    const qint64 from = m_perf->fromMs();
    const qint64 to = m_perf->toMs();
    m_charts.at(Vram)->setSeries(gpu[Vram].values(), from, to);
    m_charts.at(Temperature)->setSeries(gpu[Temperature].values(), from, to);
    m_charts.at(Power)->setSeries(gpu[Power].values(), from, to);
    m_charts.at(Utilization)->setSeries(gpu[Utilization].values(), from, to, 100.0);
    m_charts.at(Requests)->setSeries(requests.values(), from, to);
    m_charts.at(Tokens)->setSeries(tokens.values(), from, to);

    QString resolution = m_perf->resolution() == PerfSeries::Resolution::Raw ? tr("raw samples") : tr("5-minute averages");
    if (m_rate->bucketMs() > kMinute)
        resolution += u", "_s + tr("requests per %1 min").arg(m_rate->bucketMs() / kMinute);
    if (!m_perf->lastError().isEmpty())
        resolution = tr("history unavailable: %1").arg(m_perf->lastError());
    m_resolution->setText(resolution);
}

} // namespace boo
