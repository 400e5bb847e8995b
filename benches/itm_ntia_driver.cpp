// Times NTIA ITM's C++ ITM_P2P_TLS on one profile of a pfls.csv (one NTIA PFL
// per line: intervals, step in m, heights), for benches/itm_peer.sh. The
// parameters are those of the `propagation_ntia` Criterion bench (h_tx 15 m,
// h_rx 3 m, continental temperate, N_0 301, 990 MHz, vertical, epsilon 15,
// sigma 0.008 S/m, mdvar 12, time / location / situation 50 %).
//
// Usage: itm_ntia_driver PFLS.csv INDEX(1-based) CALLS ROUNDS
// CALLS untimed calls first, then ROUNDS rounds of CALLS calls (the timing
// loop of Spectra's benches/src/bin/itm_driver.rs). Prints one JSON object:
// points, median microseconds per call over the rounds, the loss (17
// significant digits, for the bit-for-bit check) and the warning flags.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int ITM_P2P_TLS(const double h_tx__meter, const double h_rx__meter, const double pfl[],
                           const int climate, const double N_0, const double f__mhz, const int pol,
                           const double epsilon, const double sigma, const int mdvar,
                           const double time, const double location, const double situation,
                           double *A__db, long *warnings);

int main(int argc, char **argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s PFLS.csv INDEX CALLS ROUNDS\n", argv[0]);
        return 2;
    }
    const int index = std::atoi(argv[2]);
    const long calls = std::atol(argv[3]);
    const int rounds = std::atoi(argv[4]);
    std::ifstream in(argv[1]);
    std::string line;
    for (int i = 0; i < index && std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) ++i;
    }
    std::vector<double> pfl;
    std::stringstream ss(line);
    std::string tok;
    while (std::getline(ss, tok, ',')) {
        if (tok.find_first_not_of(" \t\r") != std::string::npos) pfl.push_back(std::atof(tok.c_str()));
    }
    if (pfl.size() < 4 || index < 1 || calls < 1 || rounds < 1) {
        std::fprintf(stderr, "no profile %d in %s (or bad counts)\n", index, argv[1]);
        return 2;
    }
    double loss = 0.0, sum = 0.0;
    long warnings = 0;
    auto call = [&]() {
        ITM_P2P_TLS(15.0, 3.0, pfl.data(), 5, 301.0, 990.0, 1, 15.0, 0.008, 12, 50.0, 50.0, 50.0,
                    &loss, &warnings);
        sum += loss;
    };
    for (long c = 0; c < calls; ++c) call();
    std::vector<double> us;
    for (int r = 0; r < rounds; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        for (long c = 0; c < calls; ++c) call();
        auto t1 = std::chrono::steady_clock::now();
        us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / calls);
    }
    std::sort(us.begin(), us.end());
    std::printf("{\"points\": %d, \"us_per_path\": %.4f, \"loss_db\": \"%.17g\", \"warnings\": %ld, \"sink\": %.3f}\n",
                static_cast<int>(pfl[0]) + 1, us[us.size() / 2], loss, warnings, sum);
    return 0;
}
