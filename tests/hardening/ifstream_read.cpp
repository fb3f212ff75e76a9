// std::ifstream("/proc/meminfo") + getline: prints MemTotal in kB (-1 if not found).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main()
{
        std::ifstream in("/proc/meminfo");
        std::string line;
        long total = -1;
        int lines = 0;
        while (std::getline(in, line)) {
                lines++;
                if (line.rfind("MemTotal:", 0) == 0) {
                        std::istringstream ss(line.substr(9));
                        ss >> total;
                }
        }
        std::cout << "ifstream=" << total << "\nlines=" << lines << std::endl;
        return 0;
}
