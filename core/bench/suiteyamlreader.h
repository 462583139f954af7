#pragma once

#include "core/common/result.h"

#include <QRegularExpression>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <map>

namespace boo {

// The strict reading every suite file shares (bench suites, eval suites): each value checked
// for its type and range, unknown and repeated keys refused, and every problem one error that
// names the file, line, column and key path. yaml-cpp throws; so does fail(); read() turns both
// into an Error, so no exception leaves a parser.
class SuiteYamlReader
{
public:
    // `errorCode` is the code of every error ("bench.suite"); `fileName` starts every message.
    SuiteYamlReader(QString errorCode, QString fileName);

    // Prefixes the key path of later errors ("suite 2: ") when a file holds several documents.
    void setDocument(QString prefix) { m_prefix = std::move(prefix); }
    const QString &fileName() const { return m_fileName; }

    // Runs `body` and returns what it returns, or the first problem found as an error.
    template <typename Body>
    auto guarded(Body &&body) const -> decltype(body())
    {
        try {
            return body();
        } catch (const Problem &problem) {
            return problem.error;
        } catch (const YAML::Exception &e) {
            return invalidYaml(e);
        }
    }

    [[noreturn]] void fail(const YAML::Node &node, const QString &path, const QString &problem) const;
    static QString describe(const YAML::Node &node);

    // A plain scalar (numbers and booleans must not be quoted: "4" is text).
    QString plain(const YAML::Node &node, const QString &path, const QString &expected) const;
    // A scalar as written (quoted or not), untrimmed.
    QString scalar(const YAML::Node &node, const QString &path) const;
    qint64 integer(const YAML::Node &node, const QString &path, qint64 min, qint64 max) const;
    double number(const YAML::Node &node, const QString &path, double min, double max) const;
    // YAML 1.1 also reads yes/no/on/off as booleans; a suite says true or false.
    bool boolean(const YAML::Node &node, const QString &path) const;
    // The keys of a mapping, refusing duplicates and any key not in `known`.
    std::map<QString, YAML::Node> mapping(const YAML::Node &node, const QString &path, const QStringList &known) const;

    // Suite names and task ids go into the database, file names and URLs: keep them plain.
    static const QRegularExpression &namePattern();
    static QString nameRule();

private:
    struct Problem
    {
        Error error;
    };
    Error invalidYaml(const YAML::Exception &e) const;

    QString m_errorCode;
    QString m_fileName;
    QString m_prefix;
};

} // namespace boo
