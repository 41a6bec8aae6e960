// The bundled sample of service tags (data/service-tags-sample.json), for benchmarks.
#pragma once

#include "ztnet/policy/service_tags.h"

namespace ztnet::testkit {

/// The sample file parsed; empty tags when it cannot be read.
policy::ServiceTags sample_service_tags();

} // namespace ztnet::testkit
