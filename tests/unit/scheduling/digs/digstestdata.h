#pragma once

#include <initializer_list>
#include <vector>

#include "digs/digsengine.h"
#include "model/instanceinfo.h"

namespace coord::testing {

// A P instance (label PREFILL_STATIC) with 100 slots, 1000 blocks and block size 128, all free.
InstanceInfo digsPrefill(quint64 id, quint64 groupId = 0);
// A D instance (label DECODE_STATIC) that can pull KV from `peers`, sized like digsPrefill.
InstanceInfo digsDecode(quint64 id, std::initializer_list<quint64> peers, quint64 groupId = 0);

// Settings that make tests easy to reason about: MindIE's default coefficients, select_type 2
// with res_limit_rate 1.0, a cap of 1000 and block size 128.
scheduling::digs::DigsSettings digsTestSettings();

// A text request of `bytes` prompt bytes (ceil(bytes x 0.22) tokens with default coefficients).
scheduling::digs::PendingRequest textRequest(quint64 key, qint64 bytes, qint64 arrivalMs = 0);
// A request given as a token count.
scheduling::digs::PendingRequest tokenRequest(quint64 key, qint64 tokens, qint64 arrivalMs = 0);

// The request keys of a round's assignments, in order.
std::vector<quint64> keysOf(const std::vector<scheduling::digs::Assignment>& assignments);

} // namespace coord::testing
