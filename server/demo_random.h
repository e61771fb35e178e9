// The demo generator's random numbers: xoshiro256** seeded through splitmix64.
//
// Not std::mt19937 with std::uniform_int_distribution, because the distributions are
// implementation-defined and a seed must give the same demo company with any standard
// library. Every item (client 17, order 2044) draws from its own stream, so growing
// --clients adds clients without changing the ones already generated.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace salescore::cli {

class DemoRandom {
 public:
  explicit DemoRandom(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix(seed);
  }

  // The stream of one item: `stream` names the kind of item, `index` the item.
  static DemoRandom for_item(std::uint64_t seed, std::string_view stream, std::uint64_t index) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a of the stream name
    for (unsigned char c : stream) h = (h ^ c) * 1099511628211ull;
    std::uint64_t mixed = seed;
    mixed = splitmix(mixed) ^ h;
    mixed = splitmix(mixed) ^ index;
    return DemoRandom(splitmix(mixed));
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi], both included. The modulo bias is far below what a demo notices.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

  bool chance(double p) { return unit() < p; }

  template <class T>
  const T& pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(items.size()) - 1))];
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return pick(std::span<const T>(items));
  }

  // An index into `weights`, each chosen with probability proportional to its weight.
  std::size_t weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = unit() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
};

}  // namespace salescore::cli
