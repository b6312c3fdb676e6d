"""The monthly totals on a Spark cluster: a job an operator submits with ``spark-submit`` (no Django, no
CarbonPeak install needed on the cluster: this file and the SQL text are all it takes).

    carbonpeak meters spark-job job/          # writes job/spark_job.py and job/monthly_totals.sql
    spark-submit --master yarn job/spark_job.py --store hdfs:///carbon/readings \\
        --sql job/monthly_totals.sql --out hdfs:///carbon/monthly-totals

(Submit the copy the CLI writes, not this file in place: Spark puts the job's folder first on the module
path, where this package's ``selectors`` would stand in for Python's own.)

It reads the store (Parquet partitioned by month and region, the layout ``carbonpeak meters ingest`` writes),
runs the text, and writes the totals as Parquet to ``--out``; ``carbonpeak meters load-totals`` takes that
folder back into the platform (docs/scale.md).
"""

from __future__ import annotations

import argparse


def totals_frame(spark, store: str, sql: str):
    """The aggregation as a Spark DataFrame: partitions read as text, as DuckDB reads them."""
    spark.conf.set("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
    readings = spark.read.option("basePath", store).option("pathGlobFilter", "*.parquet").parquet(store)
    readings.createOrReplaceTempView("readings")
    return spark.sql(sql)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="CarbonPeak: online-monitoring monthly totals on Spark")
    parser.add_argument("--store", required=True, help="the readings' folder (month=…/region=…/*.parquet)")
    parser.add_argument("--sql", required=True, help="the text of `carbonpeak meters sql --engine spark`")
    parser.add_argument("--out", required=True, help="where the totals go (a Parquet folder)")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("carbonpeak-monthly-totals").getOrCreate()
    with open(args.sql, encoding="utf-8") as fh:
        sql = fh.read()
    totals_frame(spark, args.store, sql).coalesce(1).write.mode("overwrite").parquet(args.out)
    spark.stop()


if __name__ == "__main__":
    main()
