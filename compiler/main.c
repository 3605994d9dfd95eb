/* pcnc driver: placeholder until the driver lands (see compiler/driver.c). */
#include <stdio.h>
int main(void) {
  puts("pcnc " PCNC_VERSION);
  return 0;
}
