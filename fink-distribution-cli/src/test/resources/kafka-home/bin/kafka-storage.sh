#!/bin/bash
# Test fixture: Apache Kafka's kafka-storage.sh (KRaft storage tool: random-uuid, format, info).
exec $(dirname $0)/kafka-run-class.sh kafka.tools.StorageTool "$@"
