#pragma once

#include <QList>
#include <QWidget>

namespace boo {

// A tiny chart of recent values (requests per minute on a fleet card), newest on the right.
class Sparkline final : public QWidget
{
    Q_OBJECT

public:
    explicit Sparkline(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(Sparkline)

    void setValues(const QList<int> &values);
    // What the values are, for the tooltip ("VRAM used, % of the fleet's, last 15 min");
    // without one it says requests per minute, as on a host card.
    void setDescription(const QString &description);
    const QList<int> &values() const { return m_values; }

    QSize sizeHint() const override { return {120, 28}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<int> m_values;
    QString m_description;
};

} // namespace boo
